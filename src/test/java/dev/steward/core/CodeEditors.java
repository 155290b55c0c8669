package dev.steward.core;

import com.microsoft.playwright.Page;

/** Typing into the pages' code editor (CodeMirror over the document's text area), as a person would. */
public final class CodeEditors {

    private CodeEditors() {}

    /** Replaces the whole document in the page's code editor with {@code text}, then goes back to its first line. */
    public static void replaceText(Page page, String text) {
        page.getByTestId("code-editor").click();
        page.keyboard().press("Control+A");
        page.keyboard().insertText(text);
        page.keyboard().press("Control+Home");
    }
}
