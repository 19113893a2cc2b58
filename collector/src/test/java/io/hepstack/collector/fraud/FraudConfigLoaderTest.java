package io.hepstack.collector.fraud;

import io.hepstack.collector.fraud.rules.Assignment;
import io.hepstack.collector.fraud.rules.FraudConfig;
import io.hepstack.collector.fraud.rules.FraudConfigLoader;
import io.hepstack.collector.fraud.rules.FraudRule;
import io.hepstack.collector.fraud.rules.ProfileResolver;
import io.hepstack.collector.fraud.rules.Threshold;
import io.hepstack.enricher.reload.LoadException;
import io.hepstack.enricher.reload.ReloadableFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.ZoneId;
import java.util.List;

import static io.hepstack.collector.fraud.FraudTestSupport.at;
import static io.hepstack.collector.fraud.FraudTestSupport.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Loading rules from YAML, JSON and OpenSIPS CSV exports; errors name file and line; hot reload. */
class FraudConfigLoaderTest {

    private static final Path SAMPLES = Path.of("../samples/fraud");

    @TempDir
    Path dir;

    private final FraudConfigLoader loader = new FraudConfigLoader();

    private Path write(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    private LoadException failure(String name, String text) throws IOException {
        Path f = write(name, text);
        try {
            loader.load(f);
        } catch (LoadException e) {
            return e;
        }
        throw new AssertionError("expected a LoadException for:\n" + text);
    }

    @Test
    void theSampleYamlLoads() throws Exception {
        FraudConfig c = loader.load(SAMPLES.resolve("fraud-rules.yml"));
        assertThat(c.zone()).isEqualTo(ZoneId.of("Europe/London"));
        assertThat(c.rules().size()).isEqualTo(9);
        assertThat(c.profileNames()).containsEntry(2, "business");
        assertThat(c.profiles().assignments()).hasSize(5);
        assertThat(c.checks().highRiskDestination().destinations().countries()).contains("CU");
        assertThat(c.checks().sipFlood().register()).isEqualTo(new Threshold(100, 300));
        assertThat(c.checks().costBurn().currency()).isEqualTo("GBP");
        assertThat(c.limits().callTimeoutSeconds()).isEqualTo(6 * 3600);
        FraudRule night = c.rules().rules().stream().filter(r -> r.ruleId() == 3).findFirst().orElseThrow();
        assertThat(night.startHour()).isEqualTo("20:00");
        assertThat(night.endHour()).isEqualTo("08:00");
        assertThat(night.line()).isEqualTo(49);
    }

    @Test
    void anOpenSipsCsvExportImports() throws Exception {
        // header row, every field quoted, CRLF line ends, empty and NULL thresholds, a quoted comma
        List<FraudRule> rules = loader.load(SAMPLES.resolve("opensips-fraud-rules.csv")).rules().rules();
        assertThat(rules).hasSize(9);
        FraudRule r1 = rules.get(0);
        assertThat(r1.ruleId()).isEqualTo(1);
        assertThat(r1.profileId()).isEqualTo(1);
        assertThat(r1.prefix()).isEmpty();
        assertThat(r1.startHour()).isEqualTo("00:00");
        assertThat(r1.endHour()).isEqualTo("23:59");
        assertThat(r1.cpm()).isEqualTo(new Threshold(10, 20));
        assertThat(r1.callDuration()).isEqualTo(new Threshold(3600, 7200));
        assertThat(r1.totalCalls()).isEqualTo(new Threshold(200, 400));
        assertThat(r1.concurrentCalls()).isEqualTo(new Threshold(5, 10));
        assertThat(r1.sequentialCalls()).isEqualTo(new Threshold(20, 40));
        assertThat(r1.line()).isEqualTo(2);
        FraudRule r7 = rules.get(6);
        assertThat(r7.prefix()).isEqualTo("53");
        assertThat(r7.daysOfWeek()).isEqualTo("Mon,Wed,Fri,Sat,Sun");
        FraudRule r8 = rules.get(7);
        assertThat(r8.sequentialCalls()).as("empty and NULL are 0 (off)").isEqualTo(Threshold.OFF);
        assertThat(rules.get(8).callDuration()).isEqualTo(Threshold.OFF);
        FraudConfig c = loader.load(SAMPLES.resolve("opensips-fraud-rules.csv"));
        assertThat(c.profiles().defaultProfile()).as("a CSV alone: the lowest profile is the default").isEqualTo(1);
    }

    @Test
    void headerlessTabSeparatedExportsAndOtherLayoutsImport() throws Exception {
        // mysql SELECT ... INTO OUTFILE: no header, tabs, \N for NULL
        Path tsv = write("dump.csv", "1\t1\t40\t08:00\t20:00\tMon-Fri\t5\t10\t\\N\t\\N\t50\t100\t2\t4\t10\t20\n"
                + "2\t1\t\t00:00\t23:59\t\t10\t20\t0\t0\t0\t0\t0\t0\t0\t0\n");
        List<FraudRule> rules = loader.load(tsv).rules().rules();
        assertThat(rules).extracting(FraudRule::prefix).containsExactly("40", "");
        assertThat(rules.get(0).callDuration()).isEqualTo(Threshold.OFF);
        // semicolons, columns in another order, extra columns, a comment and a blank line
        Path semi = write("semi.csv", "# exported 2026-01-05\n\nPrefix;RuleID;ProfileID;daysoftheweek;start_hour;end_hour;"
                + "cpm_critical;note\n\"0044\";7;3;\"Sat, Sun\";10:00;12:00;9;\"a \"\"quoted\"\" note\"\n");
        FraudRule r = loader.load(semi).rules().rules().get(0);
        assertThat(r.prefix()).isEqualTo("0044");
        assertThat(r.ruleId()).isEqualTo(7);
        assertThat(r.cpm()).isEqualTo(new Threshold(0, 9));
        assertThat(r.daysOfWeek()).isEqualTo("Sat,Sun");
        assertThat(r.line()).isEqualTo(4);
    }

    @Test
    void csvErrorsNameTheLine() throws Exception {
        String header = String.join(",", io.hepstack.collector.fraud.rules.OpenSipsCsv.COLUMNS) + "\n";
        LoadException e = failure("bad.csv", header + "1,1,44,09:00,17:00,Mon-Fri,1,2,0,0,0,0,0,0,0,0\n"
                + "2,1,45,09:00,17:00,Mon-Fry,1,2,0,0,0,0,0,0,0,0\n");
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.getMessage()).contains("bad.csv:3").contains("'Fry'");
        assertThat(failure("b2.csv", header + "1,1,44,9am,17:00,,0,0,0,0,0,0,0,0,0,0\n").getMessage())
                .contains(":2:").contains("start_hour");
        assertThat(failure("b3.csv", header + "1,1,44,09:00,17:00,,5,x,0,0,0,0,0,0,0,0\n").getMessage())
                .contains("cpm_critical").contains("'x'");
        assertThat(failure("b4.csv", header + "1,1,44,09:00,17:00,,9,5,0,0,0,0,0,0,0,0\n").getMessage())
                .contains("cpm_warning (9) is above cpm_critical (5)");
        assertThat(failure("b5.csv", "ruleid,prefix\n1,44\n").getMessage()).contains("no 'profileid' column");
        assertThat(failure("b6.csv", header + "1,1,44,09:00,17:00,,1,2,0,0,0,0,0,0,0,0\n"
                + "1,1,45,09:00,17:00,,1,2,0,0,0,0,0,0,0,0\n").getMessage()).contains(":3:").contains("duplicate ruleid 1");
        assertThat(failure("b7.csv", header + "1,1,\"44,09:00,17:00\n").getMessage()).contains("unterminated");
    }

    @Test
    void yamlErrorsNameTheLine() throws Exception {
        String good = "rules:\n  - {ruleid: 1, profileid: 1, prefix: \"44\", start_hour: \"09:00\", end_hour: \"17:00\","
                + " daysoftheweek: \"Mon-Fri\"}\n";
        assertThat(loader.load(write("ok.yml", good)).rules().size()).isEqualTo(1);

        LoadException days = failure("days.yml", "timeZone: UTC\nrules:\n  - ruleid: 1\n    profileid: 1\n"
                + "    prefix: \"44\"\n    start_hour: \"09:00\"\n    end_hour: \"17:00\"\n    daysoftheweek: \"Mon-Fir\"\n");
        assertThat(days.line()).isEqualTo(8);
        assertThat(days.getMessage()).contains("days.yml:8").contains("'Fir'");

        LoadException typo = failure("typo.yml", "timeZone: UTC\nchecks:\n  sipFlood:\n    windw: 10s\n");
        assertThat(typo.line()).isEqualTo(4);
        assertThat(typo.getMessage()).contains("unknown key 'windw'");

        assertThat(failure("zone.yml", "defaultProfile: 1\ntimeZone: Mars/Olympus\n").line()).isEqualTo(2);
        assertThat(failure("regex.yml", "assignments:\n  - {userRegex: \"([0-9\", profile: 1}\n").line()).isEqualTo(2);
        assertThat(failure("cidr.yml", "assignments:\n  - {sourceIp: 192.0.2.1/24, profile: 1}\n").getMessage())
                .contains("host bits set");
        assertThat(failure("two.yml", "assignments:\n  - {user: a, domain: b, profile: 1}\n").getMessage())
                .contains("found user and domain");
        assertThat(failure("dur.yml", "state:\n  callTimeout: forever\n").getMessage()).contains("callTimeout");
        assertThat(failure("syntax.yml", "rules: [\n  {ruleid: 1\n").getMessage()).contains("syntax error");
        assertThat(failure("ratio.yml", "checks:\n  authFailureRatio: {warning: 0.9, critical: 0.5}\n").line()).isEqualTo(2);
    }

    @Test
    void jsonWorksToo() throws Exception {
        Path json = write("rules.json", "{\n  \"timeZone\": \"Asia/Tokyo\",\n  \"defaultProfile\": 2,\n  \"rules\": [\n"
                + "    {\"ruleid\": 1, \"profileid\": 2, \"prefix\": \"81\", \"start_hour\": \"00:00\", \"end_hour\": \"24:00\","
                + " \"daysoftheweek\": \"\", \"cpm_warning\": 5}\n  ],\n  \"checks\": {\"sipFlood\": {\"enabled\": false}}\n}\n");
        FraudConfig c = loader.load(json);
        assertThat(c.zone()).isEqualTo(ZoneId.of("Asia/Tokyo"));
        assertThat(c.rules().rules().get(0).cpm().warning()).isEqualTo(5);
        assertThat(c.checks().sipFlood().enabled()).isFalse();
        LoadException e = failure("bad.json", "{\n  \"rules\": [\n    {\"ruleid\": \"one\"}\n  ]\n}\n");
        assertThat(e.line()).isEqualTo(3);
    }

    @Test
    void limitsOfTheChecksAreConstraintsNamingTheLine() throws Exception {
        LoadException window = failure("window.yml", "timeZone: UTC\nchecks:\n  sipFlood:\n    enabled: true\n    window: 40d\n");
        assertThat(window.line()).isEqualTo(5);
        assertThat(window.getMessage()).contains("window.yml:5").contains("checks.sipFlood.window must be 1 s .. 31 days");

        LoadException count = failure("count.yml", "checks:\n  userAgentChange:\n    window: 32d\n");
        assertThat(count.line()).isEqualTo(3);
        assertThat(count.getMessage()).contains("checks.userAgentChange.window must be 1 s .. 31 days");

        LoadException ratio = failure("ratio2.yml", "checks:\n  authFailureRatio:\n    warning: 2\n    critical: 3\n");
        assertThat(ratio.line()).as("the section's settings start there").isEqualTo(3);
        assertThat(ratio.getMessage()).contains("checks.authFailureRatio.ratios must be ratios 0..1");
    }

    @Test
    void aYamlFileMayIncludeACsvExport() throws Exception {
        Files.copy(SAMPLES.resolve("opensips-fraud-rules.csv"), dir.resolve("table.csv"));
        FraudConfig c = loader.load(write("with-csv.yml", "defaultProfile: 2\nrulesCsv: table.csv\n"));
        assertThat(c.rules().size()).isEqualTo(9);
        assertThat(c.profiles().defaultProfile()).isEqualTo(2);
    }

    @Test
    void assignmentsFirstMatchWinsThenTheDefault() throws Exception {
        FraudConfig c = loader.load(write("assign.yml", """
                defaultProfile: 9
                assignments:
                  - {sourceIp: 10.1.0.0/16, profile: 5}
                  - {user: "1001", profile: 1}
                  - {user: "1002@Example.COM", profile: 2}
                  - {domain: example.com, profile: 3}
                  - {sourceIp: "2001:db8::/32", profile: 4}
                  - {userRegex: "^9\\\\d{3}$", profile: 6}
                """));
        ProfileResolver r = c.profiles();
        assertThat(r.assignments()).extracting(Assignment::kind).containsExactly(Assignment.Kind.SOURCE_IP,
                Assignment.Kind.USER, Assignment.Kind.USER_AT_DOMAIN, Assignment.Kind.DOMAIN, Assignment.Kind.SOURCE_IP,
                Assignment.Kind.USER_REGEX);
        assertThat(r.resolve("1001", "other.org", "192.0.2.1")).isEqualTo(1);
        assertThat(r.resolve("1001", "other.org", "10.1.200.3")).as("the CIDR comes first").isEqualTo(5);
        assertThat(r.resolve("1002", "example.com", null)).isEqualTo(2);
        assertThat(r.resolve("1003", "EXAMPLE.com", null)).isEqualTo(3);
        assertThat(r.resolve("1003", "other.org", "2001:db8:5::1")).isEqualTo(4);
        assertThat(r.resolve("9123", "other.org", "192.0.2.1")).isEqualTo(6);
        assertThat(r.resolve("91234", "other.org", "192.0.2.1")).as("the regex must match the whole user").isEqualTo(9);
        assertThat(r.resolve(null, null, "not-an-ip")).isEqualTo(9);
    }

    @Test
    void aBrokenFileKeepsThePreviousRulesAndAReloadAppliesToTheNextEvent() throws Exception {
        String v1 = "defaultProfile: 1\nalerts: {updateInterval: 0}\nrules:\n"
                + "  - {ruleid: 1, profileid: 1, prefix: \"\", start_hour: \"00:00\", end_hour: \"24:00\", cpm_warning: 3}\n";
        Path f = write("live.yml", v1);
        ReloadableFile<FraudConfig> file = new ReloadableFile<>("fraud-rules", f, loader).loadInitial();
        FraudTestSupport.Recorder alerts = new FraudTestSupport.Recorder();
        FraudEngine engine = new FraudEngine(file::current, List.of(alerts));
        long t = at("2026-01-05T10:00:00Z");
        engine.onCallStarted(call("a", t, "u", "1").build());
        engine.onCallStarted(call("b", t + 1, "u", "1").build());
        assertThat(alerts.all).isEmpty();

        Files.writeString(f, v1.replace("cpm_warning: 3", "cpm_warning: 3, cpm_critical: 2x"));
        Files.setLastModifiedTime(f, FileTime.fromMillis(System.currentTimeMillis() + 2000));
        assertThat(file.checkForChange()).isFalse();
        assertThat(file.status().lastError()).contains("live.yml:4").contains("cpm_critical");
        assertThat(file.status().errorLine()).isEqualTo(4);
        assertThat(file.current().rules().rules().get(0).cpm().warning()).as("version 1 still active").isEqualTo(3);

        Files.writeString(f, v1.replace("cpm_warning: 3", "cpm_warning: 2"));
        Files.setLastModifiedTime(f, FileTime.fromMillis(System.currentTimeMillis() + 4000));
        assertThat(file.checkForChange()).isTrue();
        engine.onCallStarted(call("c", t + 2, "u", "1").build());
        assertThat(alerts.all).singleElement().satisfies(a -> {
            assertThat(a.value()).isEqualTo(3);
            assertThat(a.threshold()).as("the new threshold").isEqualTo(2);
        });
        assertThat(engine.metrics().configVersion()).isEqualTo(2);
    }
}
