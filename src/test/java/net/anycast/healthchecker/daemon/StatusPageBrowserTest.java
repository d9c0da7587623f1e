package net.anycast.healthchecker.daemon;

import static net.anycast.healthchecker.daemon.DaemonRoutesEndToEndTest.set;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import net.anycast.healthchecker.bird.BgpTestbed;
import net.anycast.healthchecker.net.IpFamily;
import net.anycast.healthchecker.net.IpPrefix;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The status page in a real browser (Debian's chromium, headless, driven by chromedriver)
 * against the real daemon, BIRD and BGP peer: the page shows every service; a service whose
 * check starts failing turns down on the page without a reload (the event stream); the Drain
 * button (token and reason typed into its dialog) drains a service and the peer withdraws it;
 * with the keyboard alone it is undrained again; at a phone's width the page fits the screen.
 *
 * <p>The daemon runs in the testbed's node namespace; a veth pair of the test's own links it
 * to the browser's. With {@code -Dscreenshot.update=true} the screenshot it takes replaces
 * docs/status-page.png (the README shows it); otherwise it goes to target/.
 */
@Tag("e2e")
@Timeout(180)
class StatusPageBrowserTest {
  private static final Duration CONVERGE = Duration.ofSeconds(20);
  private static final IpFamily V4 = IpFamily.IPV4;
  private static final Set<IpPrefix> ALL = set("10.9.0.1", "10.9.0.2", "10.9.0.3");
  private static final String TOKEN = "browser-test-token-0123456789abcdef";

  @TempDir Path dir;
  @RegisterExtension final Daemons daemons = new Daemons();

  @Test
  void pageShowsServices_followsAFailureLive_drainButtonWithdrawsAtThePeer() throws Exception {
    try (BgpTestbed t = DaemonRoutesEndToEndTest.testbed(BgpTestbed.Node.BIRD2, dir, ALL)) {
      String address = t.linkToHost();
      Path token = dir.resolve("api-token");
      Files.writeString(token, TOKEN + "\n");
      Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
      DaemonSetup setup = DaemonSetup.of(t, dir.resolve("daemon"), false, true)
          .service("dns.example", "10.9.0.1").service("web.example", "10.9.0.2")
          .service("ntp.example", "10.9.0.3")
          .daemon("http_listen", address + ":9180")
          .daemon("http_token_file", token.toString());
      DaemonProcess d = daemons.start(t, setup).awaitReady();
      t.awaitPeerRoutes(V4, ALL, CONVERGE);

      WebDriver browser = browser(dir.resolve("chromium"));
      try {
        browser.get("http://" + address + ":9180/");
        // The page redraws its rows on every change: an element found a moment ago may be gone.
        WebDriverWait wait = new WebDriverWait(browser, CONVERGE, Duration.ofMillis(50));
        wait.ignoring(StaleElementReferenceException.class);
        wait.until(b -> healths(b).equals(List.of("up", "up", "up")));
        assertThat(names(browser)).containsExactly("dns.example", "web.example", "ntp.example");
        assertThat(browser.findElement(By.id("families")).getText()).contains("IPv4", "in sync");
        // A marker the page would lose on a reload: what follows must come over the stream.
        ((JavascriptExecutor) browser).executeScript("window.notReloaded = true;");

        setup.fail("web.example");
        wait.until(b -> "down".equals(row(b, "web.example").getDomAttribute("data-health")));
        wait.until(b -> row(b, "web.example").getText().contains("failed"));
        t.awaitPeerRoutes(V4, without(ALL, "10.9.0.2"), CONVERGE);

        wait.until(b -> {
          row(b, "dns.example").findElement(By.cssSelector("button[data-action=drain]")).click();
          return true;
        });
        WebElement dialog = browser.findElement(By.id("dialog"));
        wait.until(b -> dialog.isDisplayed());
        browser.findElement(By.id("token")).sendKeys(TOKEN);
        browser.findElement(By.id("reason")).sendKeys("browser test: kernel upgrade");
        browser.findElement(By.id("dialog-ok")).click();
        wait.until(b -> row(b, "dns.example").findElement(By.className("drain")).getText()
            .contains("browser test: kernel upgrade"));
        t.awaitPeerRoutes(V4, set("10.9.0.3"), CONVERGE);
        assertThat(setup.spoolDir().resolve("dns.example")).exists();
        wait.until(b -> row(b, "dns.example").findElement(By.className("bird")).getText()
            .equals("withdrawn"));
        assertThat(((JavascriptExecutor) browser).executeScript("return window.notReloaded"))
            .as("the page followed every change without a reload").isEqualTo(true);
        assertThat(browser.findElement(By.id("events")).getText())
            .contains("web.example: up → down", "drained dns.example");

        screenshot(browser);

        // Without a mouse: Tab to dns.example's Undrain button, Enter, Enter (the token is
        // remembered for the session, so the dialog's focus is on its Undrain button).
        ((JavascriptExecutor) browser).executeScript("document.activeElement.blur();");
        boolean reached = false;
        for (int i = 0; i < 40 && !reached; i++) {
          browser.switchTo().activeElement().sendKeys(Keys.TAB);
          reached = Boolean.TRUE.equals(((JavascriptExecutor) browser).executeScript(
              "const a = document.activeElement; const tr = a && a.closest('tr');"
                  + " return a.dataset.action === 'undrain' && tr.dataset.service === arguments[0];",
              "dns.example"));
        }
        assertThat(reached).as("Tab reaches the Undrain button").isTrue();
        browser.switchTo().activeElement().sendKeys(Keys.ENTER);
        wait.until(b -> dialog.isDisplayed()
            && "dialog-ok".equals(b.switchTo().activeElement().getDomAttribute("id")));
        browser.switchTo().activeElement().sendKeys(Keys.ENTER);
        t.awaitPeerRoutes(V4, set("10.9.0.1", "10.9.0.3"), CONVERGE);
        wait.until(b -> row(b, "dns.example").findElement(By.className("drain")).getText()
            .equals("no"));
        assertThat(setup.spoolDir().resolve("dns.example")).doesNotExist();

        // On a phone: the table turns into one card per service, nothing wider than the screen.
        browser.manage().window().setSize(new Dimension(390, 844));
        wait.until(b -> Boolean.TRUE.equals(((JavascriptExecutor) b).executeScript(
            "return document.documentElement.scrollWidth <= window.innerWidth"
                + " && getComputedStyle(document.querySelector('#services thead')).display"
                + " === 'none';")));
        wait.until(b -> row(b, "ntp.example").getCssValue("display").equals("block")
            && row(b, "ntp.example").getText().contains("announced"));
        Path phone = Path.of("target/status-page-phone.png");
        Files.copy(((org.openqa.selenium.TakesScreenshot) browser)
            .getScreenshotAs(OutputType.FILE).toPath(), phone, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        browser.quit();
      }
      assertThat(d.isAlive()).isTrue();
    }
  }

  private static WebDriver browser(Path profile) throws Exception {
    Files.createDirectories(profile);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File("/usr/bin/chromedriver"))
        .usingAnyFreePort()
        .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    // No sandbox (root), no GPU, and none of chromium's own traffic: the machine has no network
    // beyond loopback and the test's namespaces.
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu",
        "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-quic",
        "--no-proxy-server", "--window-size=1280,720", "--user-data-dir=" + profile);
    return new ChromeDriver(service, options);
  }

  private static WebElement row(WebDriver b, String service) {
    return b.findElement(By.cssSelector("tr[data-service='" + service + "']"));
  }

  private static List<String> healths(WebDriver b) {
    return rowAttribute(b, "health");
  }

  private static List<String> names(WebDriver b) {
    return rowAttribute(b, "service");
  }

  /** Reads one data attribute of every row in one script: the rows may be redrawn meanwhile. */
  @SuppressWarnings("unchecked")
  private static List<String> rowAttribute(WebDriver b, String name) {
    return (List<String>) ((JavascriptExecutor) b).executeScript("return Array.from("
        + "document.querySelectorAll('#services tbody tr'), r => r.dataset[arguments[0]]);", name);
  }

  private static Set<IpPrefix> without(Set<IpPrefix> all, String prefix) {
    Set<IpPrefix> out = new TreeSet<>(all);
    out.remove(IpPrefix.parse(prefix));
    return out;
  }

  private static void screenshot(WebDriver browser) throws Exception {
    Path shot = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE)
        .toPath();
    Path target = Path.of("target/status-page.png");
    Files.createDirectories(target.getParent());
    Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
    if (Boolean.getBoolean("screenshot.update")) {
      Files.copy(shot, Path.of("docs/status-page.png"), StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
