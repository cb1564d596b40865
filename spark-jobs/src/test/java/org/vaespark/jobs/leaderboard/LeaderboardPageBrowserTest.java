package org.vaespark.jobs.leaderboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The leaderboard directory served over HTTP on 127.0.0.1 and opened in Debian's headless
 * Chromium: no console errors, our and the published rows in their groups with the right text,
 * sorting by a column heading reorders rows, every image loads. Fails (does not skip) without
 * /usr/bin/chromium and /usr/bin/chromedriver; a screenshot goes to work/leaderboard.png.
 */
class LeaderboardPageBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String TABLE = "table[data-benchmark='binarized-mnist_static'] ";

    private static final ResultRow VAMP = TestRows.staticIwae("vamp", -84.5, "2024-05-01T10:00:00Z");
    private static final ResultRow PLAIN = TestRows.staticIwae("plain", -87.254, "2024-05-01T10:00:00Z");
    private static final ResultRow VAMP_ELBO = new ResultRow("binarized-mnist", "static", null, "vamp",
            "runs/vamp/ckpt-1000", 1000L, "test", "elbo", 1, -88.75, 0.3, 10000L, 12345L,
            "VAE MLP 784-300-300-40 bernoulli", 478_064L, 5_000_000L, 3600.5, 20.0, "2024-05-01T10:00:00Z");
    private static final List<ResultRow> ROWS = List.of(VAMP, PLAIN, VAMP_ELBO);

    @TempDir
    Path dir;
    @TempDir
    Path profile;

    @Test
    void thePageLoadsCleanlySortsAndShowsItsImagesInHeadlessChromium() throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "the leaderboard browser test needs Debian's Chromium at " + CHROMIUM + " and its driver at " + CHROMEDRIVER
                        + ". Fix: run submit/ensure-chromium.sh (apt-get install chromium chromium-driver, as root or with sudo)");
        long t0 = System.nanoTime();
        writeLeaderboard();
        HttpServer server = serve(dir);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options());
        try {
            driver.get("http://127.0.0.1:" + server.getAddress().getPort() + "/index.html");
            waitUntilLoaded(driver);

            assertEquals("VAE leaderboard", driver.getTitle());
            List<String> ours = texts(driver, TABLE + "tbody.reproduced tr.entry td:last-child");
            assertEquals(List.of("runs/vamp/ckpt-1000", "runs/plain/ckpt-1000", "runs/vamp/ckpt-1000"), ours);
            assertEquals(List.of("84.50 ± 0.25", "87.25 ± 0.25", "88.75 ± 0.30"),
                    texts(driver, TABLE + "tbody.reproduced tr.entry td:nth-child(5)"));
            assertEquals(List.of("IWAE", "IWAE", "ELBO"), texts(driver, TABLE + "tbody.reproduced tr.entry td:nth-child(3)"));
            assertEquals(List.of("5000", "5000", "1"), texts(driver, TABLE + "tbody.reproduced tr.entry td:nth-child(4)"));
            List<String> sources = texts(driver, TABLE + "tbody.reported tr.entry td:last-child");
            assertEquals(9, sources.size());
            assertTrue(sources.stream().anyMatch(t -> t.startsWith("Burda et al. 2016")), sources.toString());
            assertTrue(texts(driver, TABLE + "tbody.reported tr.entry td:nth-child(5)").contains("85.89 (s.e. not published)"));
            assertTrue(texts(driver, TABLE + "tbody.reported tr.group th").get(0).startsWith("Reported: as published"));
            assertTrue(texts(driver, "table[data-benchmark='cifar10'] tbody.reported tr.entry td:nth-child(5)")
                    .stream().allMatch(t -> t.equals("— published in bits/dim")));

            WebElement checkpoint = driver.findElement(By.cssSelector(TABLE + "thead th:last-child button"));
            checkpoint.click();
            assertEquals(List.of("runs/plain/ckpt-1000", "runs/vamp/ckpt-1000", "runs/vamp/ckpt-1000"),
                    texts(driver, TABLE + "tbody.reproduced tr.entry td:last-child"), "sorted by checkpoint, ascending");
            WebElement nll = driver.findElement(By.cssSelector(TABLE + "thead th:nth-child(5) button"));
            List<Double> publishedBefore = numbers(texts(driver, TABLE + "tbody.reported tr.entry td:nth-child(5)"));
            nll.click();
            List<Double> ascending = new ArrayList<>(publishedBefore);
            ascending.sort(Double::compare);
            List<Double> publishedAscending = numbers(texts(driver, TABLE + "tbody.reported tr.entry td:nth-child(5)"));
            assertNotEquals(publishedBefore, publishedAscending, "sorting did not change the order");
            assertEquals(ascending, publishedAscending, "published rows sorted by NLL, ascending, within their group");
            nll.click();
            List<Double> descending = new ArrayList<>(ascending);
            descending.sort((a, b) -> Double.compare(b, a));
            assertEquals(descending, numbers(texts(driver, TABLE + "tbody.reported tr.entry td:nth-child(5)")),
                    "a second click sorts descending");
            assertEquals(List.of("88.75 ± 0.30", "87.25 ± 0.25", "84.50 ± 0.25"),
                    texts(driver, TABLE + "tbody.reproduced tr.entry td:nth-child(5)"));
            assertEquals(9, driver.findElements(By.cssSelector(TABLE + "tbody.reported tr.entry.reported")).size(),
                    "sorting never moves a row to the other group");
            assertEquals("descending", driver.findElement(By.cssSelector(TABLE + "thead th:nth-child(5)")).getAttribute("aria-sort"));

            @SuppressWarnings("unchecked")
            List<Object> widths = (List<Object>) driver.executeScript(
                    "return Array.from(document.images).map(i => i.naturalWidth);");
            assertEquals(2, widths.size(), "the curves of run vamp and the extra figure");
            assertTrue(widths.stream().allMatch(w -> ((Number) w).longValue() > 0), "an image did not load: " + widths);
            assertTrue(driver.findElement(By.id("figures")).getText().contains("no metrics.jsonl for run plain"));

            Path shot = Path.of("").toAbsolutePath().getParent().resolve("work/leaderboard.png");
            Files.createDirectories(shot.getParent());
            driver.executeScript("window.scrollTo(0, 0);");
            Files.write(shot, driver.getScreenshotAs(OutputType.BYTES));
            Files.copy(dir.resolve("curves/vamp.png"), shot.resolveSibling("leaderboard-curves.png"),
                    StandardCopyOption.REPLACE_EXISTING);

            List<String> severe = new ArrayList<>();
            for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
                if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
                    severe.add(e.getMessage());
                }
            }
            assertEquals(List.of(), severe, "console errors");
        } finally {
            driver.quit();
            server.stop(0);
        }
        System.out.printf("LeaderboardPageBrowserTest: %.1f s (render, serve, Chromium)%n", (System.nanoTime() - t0) / 1e9);
    }

    private void writeLeaderboard() throws IOException {
        LeaderboardTables board = LeaderboardTables.build(ROWS, PublishedResults.loadDefault());
        List<LeaderboardDirectory.RunMetrics> runs = List.of(
                LeaderboardDirectory.RunMetrics.absent("plain", "no metrics.jsonl for run plain"),
                LeaderboardDirectory.RunMetrics.of("vamp", "runs/vamp/metrics.jsonl", List.of(
                        "{\"examples_seen\":1000000,\"train_elbo\":-120.0,\"train_reconstruction\":-100.0,\"train_kl\":20.0}",
                        "{\"examples_seen\":3000000,\"train_elbo\":-95.0,\"train_reconstruction\":-70.0,\"train_kl\":25.0}",
                        "{\"examples_seen\":5000000,\"train_elbo\":-89.0,\"train_reconstruction\":-63.0,\"train_kl\":26.0}")));
        Map<String, byte[]> files = LeaderboardDirectory.files(board, ROWS, runs,
                List.of(Figure.of("vamp", "An extra figure of run vamp", "figures/extra.png")));
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Path p = dir.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.write(p, f.getValue());
        }
        BufferedImage extra = new BufferedImage(40, 20, BufferedImage.TYPE_INT_RGB);
        Files.createDirectories(dir.resolve("figures"));
        ImageIO.write(extra, "png", dir.resolve("figures/extra.png").toFile());
    }

    private ChromeOptions options() {
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM.toFile());
        o.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=1500,1100");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        o.setCapability("goog:loggingPrefs", logs);
        return o;
    }

    /** Serves the files under {@code root} (GET only, nothing outside it) on 127.0.0.1, any free port. */
    private static HttpServer serve(Path root) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            Path file = root.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
            try (exchange) {
                if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                String name = file.getFileName().toString();
                exchange.getResponseHeaders().set("Content-Type",
                        name.endsWith(".html") ? "text/html; charset=utf-8" : name.endsWith(".png") ? "image/png" : "text/plain");
                byte[] body = Files.readAllBytes(file);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.start();
        return server;
    }

    private static void waitUntilLoaded(ChromeDriver driver) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!Boolean.TRUE.equals(driver.executeScript(
                "return document.readyState === 'complete' && Array.from(document.images).every(i => i.complete);"))) {
            assertTrue(System.nanoTime() < deadline, "the page did not finish loading in 30 s");
            Thread.sleep(50);
        }
    }

    private static List<String> texts(ChromeDriver driver, String css) {
        return driver.findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList();
    }

    private static List<Double> numbers(List<String> cells) {
        return cells.stream().map(s -> Double.parseDouble(s.replace("≤", "").trim().split(" ")[0])).toList();
    }
}
