package dev.steward.core;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The browser a {@link BrowserTest} drives, registered in the test class with {@code @RegisterExtension static final
 * Browsers browsers = new Browsers();}: Chromium is started once per class and closed after it, and every page opened
 * in a test gets a fresh profile (cookies, storage) that is closed after the test.
 */
public final class Browsers implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    public static final String ADMIN_EMAIL = "admin@steward.local";
    public static final String ADMIN_PASSWORD = "admin-test-password";

    private Playwright playwright;
    private Browser browser;
    private final List<BrowserContext> open = new ArrayList<>();

    @Override
    public void beforeAll(ExtensionContext context) {
        playwright = Playwright.create();
        browser = Chromium.launch(playwright);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        open.forEach(BrowserContext::close);
        open.clear();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (playwright != null) {
            playwright.close();
        }
    }

    /** A page in a fresh profile with these options (viewport, downloads, reduced motion …). */
    public Page open(Browser.NewContextOptions options) {
        BrowserContext context = browser.newContext(options);
        open.add(context);
        return context.newPage();
    }

    /** A page of this size in a fresh profile. */
    public Page open(int width, int height) {
        return open(new Browser.NewContextOptions().setViewportSize(width, height));
    }

    /** A page of this size signed in as the first administrator, having asked for {@code path} on the server. */
    public Page signedIn(int port, String path, int width, int height) {
        return signedIn(port, path, new Browser.NewContextOptions().setViewportSize(width, height));
    }

    /** A page with these options signed in as the first administrator, having asked for {@code path} on the server. */
    public Page signedIn(int port, String path, Browser.NewContextOptions options) {
        Page page = open(options);
        page.navigate("http://localhost:" + port + path);
        signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
        return page;
    }

    /** Fills in the sign-in form the page shows and submits it. */
    public static void signIn(Page page, String email, String password) {
        page.getByLabel("Email").fill(email);
        page.getByLabel("Password").fill(password);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in"))
                .click();
    }
}
