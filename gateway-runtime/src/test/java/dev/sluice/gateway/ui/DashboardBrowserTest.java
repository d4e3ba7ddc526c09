package dev.sluice.gateway.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gateway.TestGateway;
import dev.sluice.gateway.governance.TestPostgres;
import dev.sluice.tck.Await;
import dev.sluice.testkit.FakeOpenAiUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser (Debian's headless chromium through chromedriver) against a real gateway, real
 * PostgreSQL and a fake upstream speaking the OpenAI wire format: sign in, create a key, send chat traffic with
 * it, watch its spend appear on the chart, find the requests in the request log, look at every page, revoke the
 * key and see the gateway refuse it. Screenshots of each page go to {@code target/screenshots/}.
 */
class DashboardBrowserTest {
  static final Path CHROMIUM = Path.of(System.getProperty("sluice.chromium", "/usr/bin/chromium"));
  static final Path CHROMEDRIVER = Path.of(System.getProperty("sluice.chromedriver", "/usr/bin/chromedriver"));
  static final Path SHOTS = Path.of("target", "screenshots");
  private static final String CHAT = "{\"model\":\"priced\",\"max_tokens\":20,\"messages\":[{\"role\":\"user\","
      + "\"content\":\"%s\"}]}";

  @TempDir
  static Path data;
  static Vertx upstreamVertx;
  static TestGateway gateway;
  static WebDriver driver;
  static WebDriverWait wait;

  @BeforeAll
  static void start() throws IOException {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      throw new AssertionError("The dashboard browser tests need Debian's headless Chromium and its driver at "
          + CHROMIUM + " and " + CHROMEDRIVER + ": install them with 'apt-get install -y chromium chromium-driver' "
          + "(or point -Dsluice.chromium and -Dsluice.chromedriver at them).");
    }
    Files.createDirectories(SHOTS);
    String db = TestPostgres.freshDatabase("ui");
    upstreamVertx = Vertx.vertx();
    FakeOpenAiUpstream upstream = TestGateway.await(FakeOpenAiUpstream.start(upstreamVertx)).latency(40);
    gateway = TestGateway.start("""
        storage: {postgres: "%s", data_dir: "%s", journal: {flush_interval: 100ms}}
        providers: [{id: up, type: openai, base_url: "%s", api_key: x}]
        models:
          - {name: priced, price: {input: 2.5, output: 10.0}, deployments: [{provider: up, model: gpt-4o}]}
        cache: {exact: {enabled: true, backend: memory, ttl: 1h, scope: team}}
        observability: {request_log: {bodies: true}}
        """.formatted(db, data, upstream.baseUrl()));
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--window-size=1360,900", "--force-prefers-reduced-motion", "--lang=en-US");
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().build();
    driver = new ChromeDriver(service, options);
    wait = new WebDriverWait(driver, Duration.ofSeconds(15));
  }

  @AfterAll
  static void stop() {
    if (driver != null) driver.quit();
    if (gateway != null) gateway.close();
    if (upstreamVertx != null) TestGateway.await(upstreamVertx.close());
  }

  @Test
  void signInCreateAKeyWatchItsSpendAndRequestsThenRevokeIt() throws IOException {
    driver.get(gateway.url() + "/ui/");
    WebElement keyInput = wait.until(d -> visible(By.id("key-input")));
    shot("01-sign-in");
    keyInput.sendKeys("sk-not-a-real-key-000");
    driver.findElement(By.cssSelector("#sign-in-form button[type=submit]")).click();
    wait.until(d -> !text(By.id("sign-in-error")).isBlank());
    assertThat(text(By.id("sign-in-error"))).contains("not accepted");
    keyInput = driver.findElement(By.id("key-input"));
    keyInput.sendKeys(TestGateway.MASTER_KEY);
    keyInput.submit();
    page("overview");
    assertThat(text(By.id("who"))).contains("admin").contains("all teams");
    assertThat(text(By.id("page"))).contains("No traffic in this period yet");

    // Keys: create one; its secret is shown once.
    open("keys");
    driver.findElement(By.cssSelector("#create-key input[name=name]")).sendKeys("browser-app");
    driver.findElement(By.cssSelector("#create-key input[name=team]")).sendKeys("web");
    driver.findElement(By.cssSelector("#create-key button[type=submit]")).click();
    String secret = wait.until(d -> visible(By.id("new-secret"))).getText();
    assertThat(secret).startsWith("sk-");
    assertThat(driver.switchTo().activeElement().getAttribute("id")).isEqualTo("copy-secret");
    shot("02-keys-created");

    // Real chat traffic with the new key; the repeat is a cache hit.
    for (String q : List.of("What is a sluice?", "And a lock?", "What is a sluice?")) {
      var r = TestGateway.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/v1/chat/completions"))
          .header("authorization", "Bearer " + secret).header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(CHAT.formatted(q))).build());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    // Another team's traffic, so the chart has more than one series.
    var other = TestGateway.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/admin/keys"))
        .header("authorization", "Bearer " + TestGateway.MASTER_KEY).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"search-app\",\"team\":\"search\"}")).build());
    String otherKey = new JsonObject(other.body()).getString("key");
    for (String q : List.of("Rank these five documents by relevance to the query about river locks", "Summarize")) {
      var r = TestGateway.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/v1/chat/completions"))
          .header("authorization", "Bearer " + otherKey).header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(CHAT.formatted(q))).build());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    // Overview: the spend appears on the chart (its data, as drawn by Chart.js).
    open("overview");
    JsonArray series = until(() -> {
      driver.findElement(By.xpath("//main//button[normalize-space()='Refresh']")).click();
      page("overview");
      JsonArray s = new JsonArray(attribute(By.id("spend-chart"), "data-series"));
      return s.size() == 2 ? s : null;
    });
    JsonObject web = (JsonObject) series.stream().filter(o -> ((JsonObject) o).getString("label").equals("web"))
        .findFirst().orElseThrow();
    double charted = web.getJsonArray("data").stream().mapToDouble(v -> ((Number) v).doubleValue()).sum();
    assertThat(charted).isPositive();
    Object drawn = ((JavascriptExecutor) driver).executeScript("const c = Chart.getChart('spend-chart');"
        + "return c.data.datasets.filter(d => d.label === 'web').flatMap(d => d.data).reduce((a, b) => a + b, 0);");
    assertThat(((Number) drawn).doubleValue()).isCloseTo(charted, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(series.stream().map(o -> ((JsonObject) o).getString("label"))).containsExactlyInAnyOrder("web", "search");
    assertThat(text(By.id("stat-requests"))).contains("5");
    assertThat(text(By.id("stat-hit-rate"))).contains("20%");
    // The savings report: the cache hit saved the price of the call it replaced.
    assertThat(text(By.id("savings"))).contains("Without Sluice").contains("Exact cache").contains("Routing");
    shot("03-overview");

    // Request log: the three requests, newest first, and the details of one.
    open("requests");
    List<WebElement> rows = until(() -> {
      List<WebElement> r = driver.findElements(By.cssSelector("#page tr[data-request-id]"));
      if (r.size() >= 5) return r;
      driver.findElement(By.id("refresh-requests")).click();
      page("requests");
      return null;
    });
    assertThat(rows).hasSize(5);
    assertThat(rows.get(2).getText()).contains("priced").contains("web").contains("hit");
    assertThat(rows.get(3).getText()).contains("priced").contains("up/gpt-4o").contains("miss");
    shot("04-request-log");
    rows.get(3).findElement(By.tagName("button")).click();
    wait.until(d -> visible(By.id("dialog")));
    assertThat(text(By.id("dialog-content"))).contains("up/gpt-4o").contains("And a lock?");
    shot("05-request-details");
    driver.findElement(By.id("dialog-ok")).click();

    // Deployments: percentiles and live health.
    open("deployments");
    WebElement dep = wait.until(d -> visible(By.cssSelector("tr[data-deployment='up/gpt-4o']")));
    assertThat(dep.getText()).contains("healthy");
    assertThat(driver.findElements(By.id("latency-chart"))).hasSize(1);
    shot("06-deployments");

    // Teams & budgets: give the team a budget and see its usage bar.
    open("teams");
    driver.findElement(By.cssSelector("#team-budget input[name=id]")).sendKeys("web");
    driver.findElement(By.cssSelector("#team-budget input[name=usd]")).sendKeys("0.001");
    driver.findElement(By.cssSelector("#team-budget button[type=submit]")).click();
    WebElement meter = wait.until(d -> visible(By.cssSelector("tr[data-team='web'] meter")));
    assertThat(Double.parseDouble(meter.getAttribute("value"))).isPositive();
    shot("07-teams");

    // Dark mode follows prefers-color-scheme.
    ((ChromeDriver) driver).executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features",
        List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
    open("overview");
    assertThat(((JavascriptExecutor) driver).executeScript("return getComputedStyle(document.documentElement).backgroundColor"))
        .isEqualTo("rgb(15, 18, 22)");
    shot("09-overview-dark");
    ((ChromeDriver) driver).executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features",
        List.of(Map.of("name", "prefers-color-scheme", "value", "light"))));

    // A team key sees only its team and may not manage keys.
    var viewer = TestGateway.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/admin/keys"))
        .header("authorization", "Bearer " + TestGateway.MASTER_KEY).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"web-viewer\",\"team\":\"web\",\"role\":\"viewer\"}"))
        .build());
    assertThat(viewer.statusCode()).isEqualTo(201);
    driver.findElement(By.id("sign-out")).click();
    wait.until(d -> visible(By.id("key-input"))).sendKeys(new JsonObject(viewer.body()).getString("key"));
    driver.findElement(By.id("key-input")).submit();
    page("overview");
    assertThat(text(By.id("who"))).contains("viewer").contains("team web");
    open("keys");
    assertThat(driver.findElements(By.id("create-key"))).isEmpty();
    assertThat(driver.findElements(By.cssSelector("tr[data-key-name]"))).hasSize(2);
    driver.findElement(By.id("sign-out")).click();
    wait.until(d -> visible(By.id("key-input"))).sendKeys(TestGateway.MASTER_KEY);
    driver.findElement(By.id("key-input")).submit();
    page("overview");

    // Revoke the key: the gateway refuses it from then on.
    open("keys");
    driver.findElement(By.cssSelector("tr[data-key-name='browser-app'] button.danger")).click();
    wait.until(d -> visible(By.id("dialog")));
    driver.findElement(By.id("dialog-ok")).click();
    wait.until(d -> d.findElements(By.cssSelector("tr[data-key-name='browser-app']")).isEmpty()
        && "true".equals(attribute(By.id("page"), "data-ready")));
    shot("08-keys-revoked");
    var refused = TestGateway.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/v1/chat/completions"))
        .header("authorization", "Bearer " + secret).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(CHAT.formatted("still there?"))).build());
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.body()).contains("authentication_error");
  }

  private static void open(String page) {
    driver.findElement(By.cssSelector(".top nav a[data-page='" + page + "']")).click();
    page(page);
  }

  private static void page(String name) {
    wait.until(d -> name.equals(attribute(By.id("page"), "data-page"))
        && "true".equals(attribute(By.id("page"), "data-ready")));
  }

  /** Retries {@code step} (bounded in time, each try waiting on the page) until it answers non-null. */
  private static <T> T until(Supplier<T> step) {
    return Await.value("the dashboard shows the expected data", step);
  }

  private static WebElement visible(By by) {
    List<WebElement> found = driver.findElements(by);
    return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
  }

  private static String text(By by) {
    return driver.findElement(by).getText();
  }

  private static String attribute(By by, String name) {
    List<WebElement> found = driver.findElements(by);
    return found.isEmpty() ? null : found.get(0).getAttribute(name);
  }

  private static void shot(String name) throws IOException {
    File f = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
    Files.copy(f.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }
}
