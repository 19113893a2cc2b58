package io.hepstack.collector.testing;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Headless Debian Chromium driven by Debian's chromedriver, for the web UI's end-to-end tests.
 * Both paths are given explicitly, so Selenium Manager is never asked to find (or download) a
 * browser or a driver; {@link #seleniumManagerRecords()} shows whether it was consulted anyway.
 * A missing browser or driver fails the test: it never skips.
 */
public final class Browser implements AutoCloseable {

    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private static final Logger MANAGER_LOG = Logger.getLogger("org.openqa.selenium.manager");

    private final ChromeDriver driver;
    private final Path profile;
    private final List<LogRecord> managerRecords = new ArrayList<>();
    private final Handler managerHandler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            synchronized (managerRecords) {
                managerRecords.add(r);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    public Browser(int width, int height) {
        for (Path p : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(p)) {
                throw new IllegalStateException(p + " is missing: the browser tests need Debian's chromium and chromium-driver"
                        + " (apt-get install -y chromium chromium-driver; .ci/run installs them)");
            }
        }
        MANAGER_LOG.setLevel(Level.ALL);
        MANAGER_LOG.addHandler(managerHandler);
        try {
            profile = Files.createTempDirectory("hepstack-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile, "--window-size=" + width + "," + height, "--lang=en-GB");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** What Selenium Manager logged during this browser's life (empty when it was never consulted). */
    public List<LogRecord> seleniumManagerRecords() {
        synchronized (managerRecords) {
            return List.copyOf(managerRecords);
        }
    }

    /** Saves a PNG of the window to {@code file} (folders created). */
    public void screenshot(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            MANAGER_LOG.removeHandler(managerHandler);
            deleteTree(profile);
        }
    }

    private static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temp profile is harmless
        }
    }
}
