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
 * The dashboard in headless Chromium against a running pipeline fed by the simulator, as it is on the morning of
 * the 1st: loads without console errors, tiles show the API's values for every period the picker offers that is
 * tried, the pipeline's history and waterfall render with the API's figures, a new event changes a tile without a
 * reload, an SLA alert appears, a chart renders, the first screen of a phone holds the three numbers that matter.
 * Screenshots go to target/screenshots.
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
            // the history a user has on the morning of the 1st: 45 days up to 09:00 on the first of this month
            LocalDate first = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1);
            Instant cut = first.atStartOfDay().toInstant(ZoneOffset.UTC).plus(Duration.ofHours(9));
            List<CrmEvent> history = new CrmSimulator(3, 20, first.minusDays(45)).advanceTo(cut);
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
            String month = first.toString().substring(0, 7), lastMonth = first.minusMonths(1).toString().substring(0, 7);

            ChromeDriver driver = browser();
            try {
                // the page as it is on the 1st (?today= shows it on another day than the pipeline's)
                driver.get("http://localhost:" + p.httpPort() + "/?today=" + first);
                double apiRevenue = number(get(p, "/api/kpis/revenue?grain=month&from=" + month + "&to=" + month));
                awaitTrue(() -> Math.abs(number(tileValue(driver, "revenue")) - apiRevenue) < 0.01, 30);
                String apiWinRate = get(p, "/api/kpis/win_rate?grain=month&from=" + month + "&to=" + month).get("points").get(0).path("value").asText("");
                awaitTrue(() -> apiWinRate.equals(tileValue(driver, "win_rate")), 10);
                // the open pipeline tile is the pipeline now, a number even on the 1st
                double apiPipeline = number(get(p, "/api/kpis/pipeline_value?grain=month&from=" + month + "&to=" + month));
                assertThat(apiPipeline).isPositive();
                awaitTrue(() -> Math.abs(number(tileValue(driver, "pipeline_value")) - apiPipeline) < 0.01, 10);
                screenshot(driver, "overview-first-of-month.png");

                // the period picker: last month's tiles are the API's values for last month
                pick(driver, "last-month");
                double lastRevenue = number(get(p, "/api/kpis/revenue?grain=month&from=" + lastMonth + "&to=" + lastMonth));
                assertThat(lastRevenue).as("the simulated last month has revenue").isPositive();
                awaitTrue(() -> Math.abs(number(tileValue(driver, "revenue")) - lastRevenue) < 0.01, 20);
                double lastPipeline = number(get(p, "/api/kpis/pipeline_value?grain=month&from=" + lastMonth + "&to=" + lastMonth));
                awaitTrue(() -> Math.abs(number(tileValue(driver, "pipeline_value")) - lastPipeline) < 0.01, 10);
                // the waterfall of last month renders, its closing the API's and the month-end pipeline
                var flow = get(p, "/api/kpis/pipeline_flow?grain=month&from=" + lastMonth + "&to=" + lastMonth).get("points").get(0);
                awaitTrue(() -> Boolean.TRUE.equals(((JavascriptExecutor) driver).executeScript(
                        "const c = window.kpiDashboard.charts.flow; return !!c && c.data.labels.length === 8;")), 20);
                awaitTrue(() -> flowRow(driver, "closing") == flow.get("closing").get("value").asDouble(), 10);
                assertThat(flowRow(driver, "opening")).isEqualTo(flow.get("opening").get("value").asDouble());
                assertThat(flowRow(driver, "won")).isEqualTo(flow.get("won").get("value").asDouble());
                assertThat(flow.get("closing").get("value").asDouble()).isEqualTo(lastPipeline);
                // the pipeline history draws one stacked bar per day of last month, stages first to last (it renders
                // beside the waterfall, not after it)
                int lastMonthDays = first.minusMonths(1).lengthOfMonth();
                awaitTrue(() -> ((Number) ((JavascriptExecutor) driver).executeScript(
                        "const c = window.kpiDashboard.charts.pipeline; return c ? c.data.labels.length : -1;")).intValue() == lastMonthDays, 20);
                ((JavascriptExecutor) driver).executeScript("document.getElementById('pipeline').scrollIntoView()");
                screenshot(driver, "pipeline.png");
                // this quarter: the revenue tile follows too
                pick(driver, "this-quarter");
                String quarter = first.getYear() + "-Q" + ((first.getMonthValue() - 1) / 3 + 1);
                double quarterRevenue = number(get(p, "/api/kpis/revenue?grain=quarter&from=" + quarter + "&to=" + quarter));
                awaitTrue(() -> Math.abs(number(tileValue(driver, "revenue")) - quarterRevenue) < 0.01, 20);

                // back to this month: a deal won now changes the revenue tile without a reload
                pick(driver, "this-month");
                awaitTrue(() -> Math.abs(number(tileValue(driver, "revenue")) - apiRevenue) < 0.01, 20);
                PipelineIT.send(p, "{\"eventId\":\"it-d1\",\"type\":\"DealCreated\",\"occurredAt\":\"" + Instant.now() + "\",\"dealId\":\"IT-D1\",\"stage\":\"x\",\"amount\":\"12345\",\"repId\":\"R-it\"}",
                        "{\"eventId\":\"it-d2\",\"type\":\"DealClosed\",\"occurredAt\":\"" + Instant.now() + "\",\"dealId\":\"IT-D1\",\"outcome\":\"WON\"}");
                awaitTrue(() -> Math.abs(number(tileValue(driver, "revenue")) - (apiRevenue + 12345)) < 0.01, 20);

                // a lead left waiting past its 3-second SLA shows up in the alerts table
                PipelineIT.send(p, "{\"eventId\":\"it-l1\",\"type\":\"LeadCreated\",\"occurredAt\":\"" + Instant.now() + "\",\"leadId\":\"IT-LEAD\",\"repId\":\"R-it\"}");
                awaitTrue(() -> !driver.findElements(By.cssSelector("#alerts-table tr[data-lead='IT-LEAD']")).isEmpty(), 20);

                // the trend chart renders data
                awaitTrue(() -> Boolean.TRUE.equals(((JavascriptExecutor) driver).executeScript(
                        "const c = window.kpiDashboard.charts.trend; return !!c && c.data.labels.length > 0;")), 20);
                ((JavascriptExecutor) driver).executeScript("document.getElementById('trends').scrollIntoView()");
                screenshot(driver, "trend.png");
                // a phone-sized window: the three numbers that matter come first, in one column
                driver.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
                ((JavascriptExecutor) driver).executeScript("window.scrollTo(0, 0)");
                Thread.sleep(300);
                for (String kpi : List.of("revenue", "pipeline_value", "win_rate")) {
                    var tile = driver.findElement(By.id("tile-" + kpi));
                    assertThat(tile.getLocation().getY() + tile.getSize().getHeight()).as(kpi + " on the first screen").isLessThan(844);
                }
                screenshot(driver, "phone.png");

                List<LogEntry> errors = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
                assertThat(errors).as("console errors").isEmpty();
            } finally {
                driver.quit();
            }
        }
    }

    /** The value of a point query's single point, 0 when it has none. */
    static double number(com.fasterxml.jackson.databind.JsonNode answer) {
        return answer.get("points").get(0).path("value").asDouble(0);
    }

    static double number(String text) {
        return text.isEmpty() ? 0 : Double.parseDouble(text);
    }

    /** Chooses a period in the picker as a user does (a change event). */
    static void pick(ChromeDriver driver, String choice) {
        ((JavascriptExecutor) driver).executeScript("const s = document.getElementById('period-choice'); s.value = arguments[0];"
                + " s.dispatchEvent(new Event('change'));", choice);
    }

    /** The value the waterfall's table shows for one part. */
    static double flowRow(ChromeDriver driver, String part) {
        var rows = driver.findElements(By.cssSelector("#flow-table tr[data-part='" + part + "']"));
        return rows.isEmpty() ? Double.NaN : Double.parseDouble(rows.get(0).getDomAttribute("data-value"));
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
