package dev.steward.core;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/**
 * Debian's Chromium for browser tests. Playwright's own browser download cannot work here, so tests drive the
 * system browser, with the flags that keep it from reaching for the network at start.
 */
public final class Chromium {

    public static final Path SCREENSHOTS = Paths.get("target", "screenshots");
    private static final Path EXECUTABLE = Paths.get("/usr/bin/chromium");

    private Chromium() {}

    public static boolean installed() {
        return Files.isExecutable(EXECUTABLE);
    }

    public static Browser launch(Playwright playwright) {
        return playwright
                .chromium()
                .launch(new BrowserType.LaunchOptions()
                        .setExecutablePath(EXECUTABLE)
                        .setHeadless(true)
                        .setArgs(List.of(
                                "--no-sandbox",
                                "--disable-gpu",
                                "--disable-quic",
                                "--no-first-run",
                                "--disable-background-networking",
                                "--disable-component-update",
                                "--disable-sync")));
    }
}
