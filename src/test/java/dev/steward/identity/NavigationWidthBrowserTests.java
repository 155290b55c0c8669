package dev.steward.identity;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.BoundingBox;
import dev.steward.core.BrowserTest;
import dev.steward.core.Browsers;
import dev.steward.core.Chromium;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * On a 1,280-pixel screen the navigation fits on one line: every top-level item, the bell and the user menu are
 * inside the window, none pushed to a second row, for an administrator (the Users menu) and for a manager with a long
 * name (Cockpit and My book besides).
 */
@BrowserTest
class NavigationWidthBrowserTests {

    private static final int WIDTH = 1280;
    private static final int HEIGHT = 800;

    @RegisterExtension
    static final Browsers browsers = new Browsers();

    @LocalServerPort
    int port;

    @Autowired
    UserManagement users;

    @Test
    void anAdministratorsNavigationFitsOneLineAt1280Pixels() throws Exception {
        Page page = browsers.signedIn(port, "/accounts", WIDTH, HEIGHT);
        assertThat(page.getByTestId("current-user")).isVisible();
        screenshot(page, "navigation-1280-admin.png");
        assertFitsOneLine(page, "Accounts", "Scorecards", "Backtests", "Settings");
    }

    @Test
    void aManagersNavigationWithALongNameFitsOneLineAt1280Pixels() throws Exception {
        users.createIfAbsent(
                "maximiliane.navigation@example.com",
                "Maximiliane Navigation-Oberhauser",
                Role.MANAGER,
                "nav-width-password-1");
        Page page = browsers.open(WIDTH, HEIGHT);
        page.navigate("http://localhost:" + port + "/accounts");
        Browsers.signIn(page, "maximiliane.navigation@example.com", "nav-width-password-1");
        // Below 1,400 pixels the user menu shows initials; the full name is its title and heads the menu.
        assertThat(page.getByTestId("current-user"))
                .hasAttribute("title", "Signed in as Maximiliane Navigation-Oberhauser (MANAGER)");
        assertThat(page.getByTestId("current-user").locator(".user-initials")).hasText("MN");
        screenshot(page, "navigation-1280-manager.png");
        assertFitsOneLine(page, "Cockpit", "My book", "Accounts", "Scorecards", "Backtests", "Settings");
        page.getByTestId("current-user").click();
        assertThat(page.getByTestId("current-user-name")).isVisible();
        assertThat(page.getByTestId("current-user-name")).hasText("Maximiliane Navigation-Oberhauser");

        // Wider, the name itself is shown, still on one line.
        page.setViewportSize(1600, HEIGHT);
        assertThat(page.getByTestId("current-user").locator(".user-name")).isVisible();
        assertThat(page.getByTestId("current-user").locator(".user-initials")).isHidden();
    }

    /** Each top-level item, the bell and the user menu: inside the window and on the brand's line, one line high. */
    private static void assertFitsOneLine(Page page, String... expectedItems) {
        Locator items = page.locator("#main-nav > ul.navbar-nav > li.nav-item > a.nav-link");
        assertThat(items.first()).isVisible();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < items.count(); i++) {
            names.add(items.nth(i).innerText().strip());
        }
        assertThat(names).contains(expectedItems);

        BoundingBox brand = page.locator(".navbar-brand").boundingBox();
        BoundingBox accounts =
                page.locator("#main-nav a.nav-link[href='/accounts']").boundingBox();
        List<Locator> shown = new ArrayList<>(items.all());
        shown.add(page.getByTestId("notifications-bell"));
        shown.add(page.getByTestId("current-user"));
        for (Locator item : shown) {
            String name = item.innerText().strip().isEmpty()
                    ? "the bell"
                    : item.innerText().strip();
            assertThat(item.isVisible()).as(name + " is shown").isTrue();
            BoundingBox box = item.boundingBox();
            assertThat(box.x).as(name + " starts inside the window").isGreaterThanOrEqualTo(0);
            assertThat(box.x + box.width).as(name + " ends inside the window").isLessThanOrEqualTo(WIDTH);
            // On the brand's line: its middle is within the brand's height, not a row below.
            double middle = box.y + box.height / 2;
            assertThat(middle)
                    .as(name + " is on the first line of the navigation")
                    .isBetween(brand.y, brand.y + brand.height);
            // Its own text on one line: no taller than a one-line item.
            assertThat(box.height).as(name + " is one line high").isLessThan(accounts.height * 1.5);
        }
        assertThat(page.locator("nav.navbar").boundingBox().height)
                .as("the navigation bar is one row high")
                .isLessThan(accounts.height * 2);
    }

    private static void screenshot(Page page, String name) throws Exception {
        Files.createDirectories(Chromium.SCREENSHOTS);
        page.screenshot(new Page.ScreenshotOptions().setPath(Chromium.SCREENSHOTS.resolve(name)));
    }
}
