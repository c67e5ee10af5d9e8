package io.kpipeline.app;

import io.kpipeline.app.config.KpiConfig;
import io.kpipeline.avro.CrmEvent;
import io.kpipeline.connectors.kafka.EventSink;
import io.kpipeline.connectors.simulate.CrmSimulator;
import io.kpipeline.schemas.event.EventJson;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;

import static io.kpipeline.app.PipelineIT.freePort;
import static io.kpipeline.app.PipelineIT.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in headless Chromium against a running pipeline fed by the simulator: loads without console
 * errors, tiles show the API's values, a new event changes a tile without a reload, an SLA alert appears, a
 * chart renders. Screenshots go to target/screenshots.
 */
class DashboardIT {
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TempDir
    Path dir;

    @Test
    @Timeout(300)
    void dashboardShowsLiveValues() throws Exception {
        boolean browser = Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM);
        if (Boolean.getBoolean("kpi.requireBrowser")) {
            assertThat(browser).as("Chromium and chromedriver (Debian: chromium chromium-driver) are required; .ci/run installs them").isTrue();
        }
        Assumptions.assumeTrue(browser, "no Chromium/chromedriver here: the dashboard browser test needs them (.ci/run installs them)");
        KpiConfig config = PipelineIT.config(dir, "kpi-dashboard-it", List.of("lead-response-sla=PT3S"));
        try (Pipeline p = new Pipeline(config).start()) {
            PipelineIT.awaitUp(p);
            Instant now = Instant.now();
            LocalDate start = now.atZone(ZoneOffset.UTC).toLocalDate().minusDays(40);
            List<CrmEvent> history = new CrmSimulator(3, 20, start).advanceTo(now.minusSeconds(3600));
            try (EventSink sink = new EventSink(Map.of("bootstrap.servers", p.bootstrapServers()), p.registry(), "crm-events", "crm-events-dlq")) {
                history.forEach(sink::send);
                sink.flush();
            }
            awaitTrue(() -> {
                try {
                    return get(p, "/health").path("components").path("streams").path("eventsApplied").asLong() >= history.size();
                } catch (Exception e) {
                    return false;
                }
            }, 120);
            PipelineIT.awaitSettled(p);

            ChromeDriver driver = browser();
            try {
                driver.get("http://localhost:" + p.httpPort() + "/");
                String apiRevenue = get(p, "/api/kpis/revenue?grain=month").get("points").get(0).path("value").asText("");
                awaitTrue(() -> apiRevenue.equals(tileValue(driver, "revenue")), 30);
                String apiWinRate = get(p, "/api/kpis/win_rate?grain=month").get("points").get(0).path("value").asText("");
                awaitTrue(() -> apiWinRate.equals(tileValue(driver, "win_rate")), 10);
                screenshot(driver, "overview.png");

                // a deal won now changes the revenue tile without a reload
                double before = apiRevenue.isEmpty() ? 0 : Double.parseDouble(apiRevenue);
                PipelineIT.send(p, "{\"eventId\":\"it-d1\",\"type\":\"DealCreated\",\"occurredAt\":\"" + Instant.now() + "\",\"dealId\":\"IT-D1\",\"stage\":\"x\",\"amount\":\"12345\",\"repId\":\"R-it\"}",
                        "{\"eventId\":\"it-d2\",\"type\":\"DealClosed\",\"occurredAt\":\"" + Instant.now() + "\",\"dealId\":\"IT-D1\",\"outcome\":\"WON\"}");
                awaitTrue(() -> {
                    String v = tileValue(driver, "revenue");
                    return !v.isEmpty() && Math.abs(Double.parseDouble(v) - (before + 12345)) < 0.01;
                }, 20);

                // a lead left waiting past its 3-second SLA shows up in the alerts table
                PipelineIT.send(p, "{\"eventId\":\"it-l1\",\"type\":\"LeadCreated\",\"occurredAt\":\"" + Instant.now() + "\",\"leadId\":\"IT-LEAD\",\"repId\":\"R-it\"}");
                awaitTrue(() -> !driver.findElements(By.cssSelector("#alerts-table tr[data-lead='IT-LEAD']")).isEmpty(), 20);

                // the trend chart renders data
                awaitTrue(() -> Boolean.TRUE.equals(((JavascriptExecutor) driver).executeScript(
                        "const c = window.kpiDashboard.charts.trend; return !!c && c.data.labels.length > 0;")), 20);
                driver.findElement(By.id("trends")).getLocation();
                ((JavascriptExecutor) driver).executeScript("document.getElementById('trends').scrollIntoView()");
                screenshot(driver, "trend.png");
                // a phone-sized window: the sections stack into one column
                driver.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
                ((JavascriptExecutor) driver).executeScript("window.scrollTo(0, 0)");
                Thread.sleep(300);
                screenshot(driver, "phone.png");

                List<LogEntry> errors = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
                assertThat(errors).as("console errors").isEmpty();
            } finally {
                driver.quit();
            }
        }
    }

    static String tileValue(ChromeDriver driver, String kpi) {
        var tiles = driver.findElements(By.id("tile-" + kpi));
        String v = tiles.isEmpty() ? null : tiles.get(0).getDomAttribute("data-value");
        return v == null ? "" : v;
    }


    static ChromeDriver browser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
        return new ChromeDriver(service, options);
    }

    static void screenshot(ChromeDriver driver, String name) throws Exception {
        Path out = Path.of(System.getProperty("kpi.screenshots", "target/screenshots"));
        Files.createDirectories(out);
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), out.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    static void awaitTrue(BooleanSupplier condition, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within " + seconds + " s").isLessThan(deadline);
            Thread.sleep(200);
        }
    }
}
