package io.hepstack.collector.fraud.rules;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.hepstack.enricher.ConfigValidation;
import io.hepstack.enricher.reload.FileLoader;
import io.hepstack.enricher.reload.LoadException;
import jakarta.validation.ConstraintViolation;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Loads a {@link FraudConfig} from YAML ({@code .yml}, {@code .yaml}), JSON ({@code .json}) or an
 * OpenSIPS table export ({@code .csv}, see {@link OpenSipsCsv}). Every error names the file and line.
 * Use with {@code new ReloadableFile<>("fraud-rules", path, new FraudConfigLoader())}.
 *
 * <p>A CSV file alone configures the rules only: everything else keeps its defaults and users
 * without assignment get the lowest profile id of the file. A YAML/JSON file may name a CSV with
 * {@code rulesCsv} (relative to itself); it is read on each load of the YAML, so touch the YAML after
 * editing the CSV.
 */
public final class FraudConfigLoader implements FileLoader<FraudConfig> {

    private static final Set<String> TOP = Set.of("timeZone", "userKey", "defaultProfile", "profiles", "rules",
            "rulesCsv", "assignments", "state", "alerts", "checks");
    private static final List<String> ASSIGNMENT_KINDS = List.of("user", "domain", "sourceIp", "userRegex");

    private final JsonFactory yaml = new YAMLFactory();
    private final JsonFactory json = new JsonFactory();

    @Override
    public FraudConfig load(Path file) throws LoadException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) {
            List<FraudRule> rules = OpenSipsCsv.read(file);
            RuleSet set = ruleSet(rules, file);
            int def = rules.stream().mapToInt(FraudRule::profileId).min().orElse(ProfileResolver.NONE);
            return FraudConfig.defaults().withRules(set, new ProfileResolver(List.of(), def));
        }
        JsonFactory factory = name.endsWith(".json") ? json : yaml;
        return parse(ConfigNode.read(file, factory));
    }

    private FraudConfig parse(ConfigNode root) throws LoadException {
        Path file = root.file();
        if (!root.isMap()) {
            throw root.error("the fraud rules file must be a mapping (timeZone, rules, assignments, checks, ...)");
        }
        root.allowOnly("the top level", TOP);

        ZoneId zone = zone(root);
        String userKey = root.string("userKey", "user").trim();
        if (!userKey.equals("user") && !userKey.equals("user@domain")) {
            throw root.get("userKey").error("userKey must be 'user' or 'user@domain': '" + userKey + "'");
        }

        List<FraudRule> rules = new ArrayList<>();
        for (ConfigNode item : items(root, "rules")) {
            rules.add(yamlRule(item));
        }
        String csv = root.string("rulesCsv", null);
        if (csv != null) {
            Path csvPath = file.toAbsolutePath().getParent().resolve(csv);
            rules.addAll(OpenSipsCsv.read(csvPath));
        }
        RuleSet ruleSet = ruleSet(rules, file);

        Map<Integer, String> names = profileNames(node(root, "profiles"));
        int defaultProfile = (int) root.integer("defaultProfile", ProfileResolver.NONE, 0, Integer.MAX_VALUE);
        List<Assignment> assignments = new ArrayList<>();
        for (ConfigNode item : items(root, "assignments")) {
            assignments.add(assignment(item));
        }
        Limits limits = limits(node(root, "state"), node(root, "alerts"));
        validate(root, limits, FraudConfigLoader::limitsKey);
        Checks checks = checks(node(root, "checks"));
        validate(root, checks, FraudConfigLoader::checksKey);
        return new FraudConfig(zone, userKey.equals("user@domain"), names, ruleSet,
                new ProfileResolver(assignments, defaultProfile), limits, checks);
    }

    // ---- Bean Validation of the built limits and checks

    /**
     * Checks the constraints of {@code built} (jakarta.validation annotations on {@link Limits} and
     * {@link Checks}); the first violation, by line, fails naming the file and the line of the
     * setting ({@code yamlKey} turns a property path into the YAML keys it came from).
     */
    private static void validate(ConfigNode root, Object built, Function<String, String> yamlKey) throws LoadException {
        Set<ConstraintViolation<Object>> violations = ConfigValidation.validator().validate(built);
        if (violations.isEmpty()) {
            return;
        }
        LoadException first = null;
        for (ConstraintViolation<Object> v : violations) {
            String key = yamlKey.apply(v.getPropertyPath().toString());
            ConfigNode node = root;
            int line = 0;
            for (String k : key.split("\\.")) {
                node = node == null ? null : node.get(k);
                if (node != null) {
                    line = node.line();
                }
            }
            LoadException e = new LoadException(root.file(), line, key + " " + v.getMessage());
            if (first == null || line < first.line() || (line == first.line() && e.getMessage().compareTo(first.getMessage()) < 0)) {
                first = e;
            }
        }
        throw first;
    }

    /** YAML key of a {@link Limits} component. */
    private static String limitsKey(String property) {
        return switch (property) {
            case "userIdleSeconds" -> "state.userIdleTimeout";
            case "sourceIdleSeconds" -> "state.sourceIdleTimeout";
            case "maxUsers" -> "state.maxUsers";
            case "maxSources" -> "state.maxSources";
            case "setupTimeoutSeconds" -> "state.setupTimeout";
            case "callTimeoutSeconds" -> "state.callTimeout";
            case "alertWindowSeconds" -> "alerts.window";
            case "alertUpdateSeconds" -> "alerts.updateInterval";
            case "recentAlerts" -> "alerts.recent";
            case "maxOpenAlerts" -> "alerts.maxOpen";
            default -> property;
        };
    }

    /**
     * YAML keys of a {@link Checks} property path: {@code count} and {@code threshold} are not keys of
     * their own, and {@code ...Seconds} is the key without it ({@code sipFlood.windowSeconds} is
     * {@code checks.sipFlood.window}).
     */
    private static String checksKey(String property) {
        StringBuilder sb = new StringBuilder("checks");
        for (String p : property.split("\\.")) {
            if (p.equals("count") || p.equals("threshold")) {
                continue;
            }
            sb.append('.').append(p.endsWith("Seconds") ? p.substring(0, p.length() - "Seconds".length()) : p);
        }
        return sb.toString();
    }

    private static ConfigNode node(ConfigNode parent, String key) {
        return parent.get(key);
    }

    private static List<ConfigNode> items(ConfigNode parent, String key) throws LoadException {
        ConfigNode n = parent.get(key);
        return n == null ? List.of() : n.items(key);
    }

    private static ZoneId zone(ConfigNode root) throws LoadException {
        String z = root.string("timeZone", "UTC").trim();
        try {
            return ZoneId.of(z);
        } catch (DateTimeException e) {
            throw root.get("timeZone").error("unknown timeZone '" + z + "' (use an IANA name such as Europe/Paris, or UTC)");
        }
    }

    private static FraudRule yamlRule(ConfigNode item) throws LoadException {
        if (!item.isMap()) {
            throw item.error("a rule must be a mapping of the OpenSIPS columns (ruleid, profileid, prefix, ...)");
        }
        item.allowOnly("a rule", new HashSet<>(OpenSipsCsv.COLUMNS));
        Map<String, ConfigNode> e = item.entries("a rule");
        Map<String, String> values = new HashMap<>();
        for (Map.Entry<String, ConfigNode> en : e.entrySet()) {
            values.put(en.getKey(), en.getValue().text(en.getKey()));
        }
        return RuleFields.toRule(new RuleFields() {
            @Override
            public String get(String column) {
                return values.get(column);
            }

            @Override
            public int lineOf(String column) {
                ConfigNode n = e.get(column);
                return n != null ? n.line() : item.line();
            }
        }, item.file());
    }

    private static RuleSet ruleSet(List<FraudRule> rules, Path file) throws LoadException {
        try {
            return new RuleSet(rules);
        } catch (IllegalArgumentException ex) {
            int line = 0;
            String msg = ex.getMessage();
            for (int i = rules.size() - 1; i >= 0 && msg.startsWith("duplicate ruleid"); i--) {
                if (msg.startsWith("duplicate ruleid " + rules.get(i).ruleId() + " ")) {
                    line = rules.get(i).line(); // the later of the two
                    break;
                }
            }
            throw new LoadException(file, line, ex.getMessage());
        }
    }

    private static Map<Integer, String> profileNames(ConfigNode n) throws LoadException {
        Map<Integer, String> out = new HashMap<>();
        if (n == null) {
            return out;
        }
        for (Map.Entry<String, ConfigNode> e : n.entries("profiles").entrySet()) {
            try {
                out.put(Integer.parseInt(e.getKey().trim()), e.getValue().text("profile name"));
            } catch (NumberFormatException ex) {
                throw e.getValue().error("profiles maps profile ids (numbers) to names: '" + e.getKey() + "'");
            }
        }
        return out;
    }

    private static Assignment assignment(ConfigNode item) throws LoadException {
        if (!item.isMap()) {
            throw item.error("an assignment must be a mapping such as {user: \"1001\", profile: 2}");
        }
        Set<String> allowed = new HashSet<>(ASSIGNMENT_KINDS);
        allowed.add("profile");
        item.allowOnly("an assignment", allowed);
        String kindKey = null;
        for (String k : ASSIGNMENT_KINDS) {
            if (item.get(k) != null) {
                if (kindKey != null) {
                    throw item.error("an assignment has one of user, domain, sourceIp, userRegex; found "
                            + kindKey + " and " + k);
                }
                kindKey = k;
            }
        }
        if (kindKey == null) {
            throw item.error("an assignment needs one of user, domain, sourceIp, userRegex");
        }
        if (item.get("profile") == null) {
            throw item.error("an assignment needs a profile");
        }
        int profile = (int) item.integer("profile", 0, 0, Integer.MAX_VALUE);
        ConfigNode valueNode = item.get(kindKey);
        String value = valueNode.text(kindKey);
        if (value == null || value.isBlank()) {
            throw valueNode.error(kindKey + " must not be empty");
        }
        Assignment.Kind kind = switch (kindKey) {
            case "user" -> value.indexOf('@') > 0 ? Assignment.Kind.USER_AT_DOMAIN : Assignment.Kind.USER;
            case "domain" -> Assignment.Kind.DOMAIN;
            case "sourceIp" -> Assignment.Kind.SOURCE_IP;
            default -> Assignment.Kind.USER_REGEX;
        };
        try {
            return Assignment.of(kind, value.trim(), profile, valueNode.line());
        } catch (IllegalArgumentException ex) { // includes PatternSyntaxException
            throw valueNode.error(kindKey + ": " + ex.getMessage().replace('\n', ' '));
        }
    }

    private static Limits limits(ConfigNode state, ConfigNode alerts) throws LoadException {
        Limits d = Limits.defaults();
        if (state == null && alerts == null) {
            return d;
        }
        ConfigNode s = state;
        ConfigNode a = alerts;
        if (s != null) {
            s.allowOnly("state", Set.of("userIdleTimeout", "sourceIdleTimeout", "maxUsers", "maxSources",
                    "setupTimeout", "callTimeout"));
        }
        if (a != null) {
            a.allowOnly("alerts", Set.of("window", "updateInterval", "recent", "maxOpen"));
        }
        return new Limits(
                s == null ? d.userIdleSeconds() : s.seconds("userIdleTimeout", d.userIdleSeconds()),
                s == null ? d.sourceIdleSeconds() : s.seconds("sourceIdleTimeout", d.sourceIdleSeconds()),
                s == null ? d.maxUsers() : (int) s.integer("maxUsers", d.maxUsers(), 1, Integer.MAX_VALUE),
                s == null ? d.maxSources() : (int) s.integer("maxSources", d.maxSources(), 1, Integer.MAX_VALUE),
                s == null ? d.setupTimeoutSeconds() : s.seconds("setupTimeout", d.setupTimeoutSeconds()),
                s == null ? d.callTimeoutSeconds() : s.seconds("callTimeout", d.callTimeoutSeconds()),
                a == null ? d.alertWindowSeconds() : a.seconds("window", d.alertWindowSeconds()),
                a == null ? d.alertUpdateSeconds() : updateInterval(a, d.alertUpdateSeconds()),
                a == null ? d.recentAlerts() : (int) a.integer("recent", d.recentAlerts(), 1, 1_000_000),
                a == null ? d.maxOpenAlerts() : (int) a.integer("maxOpen", d.maxOpenAlerts(), 1, 10_000_000));
    }

    private static long updateInterval(ConfigNode a, long def) throws LoadException {
        ConfigNode n = a.get("updateInterval");
        if (n != null && "0".equals(n.text("updateInterval").trim())) {
            return 0; // publish every repeat
        }
        return a.seconds("updateInterval", def);
    }

    // ---- checks

    private static Checks checks(ConfigNode c) throws LoadException {
        Checks d = Checks.defaults();
        if (c == null) {
            return d;
        }
        c.allowOnly("checks", Set.of("userAgentChange", "newCountry", "highRiskDestination", "costBurn",
                "blacklistedSource", "scannerUserAgent", "sipFlood", "authFailureRatio", "irsfShortCalls"));
        ConfigNode n;

        Checks.UserAgentChange ua = d.userAgentChange();
        if ((n = c.get("userAgentChange")) != null) {
            n.allowOnly("userAgentChange", keys());
            ua = new Checks.UserAgentChange(count(n, ua.count()));
        }
        Checks.NewCountry nc = d.newCountry();
        if ((n = c.get("newCountry")) != null) {
            n.allowOnly("newCountry", keys("lastCalls", "minHistory"));
            int last = (int) n.integer("lastCalls", nc.lastCalls(), 1, 1000);
            int min = (int) n.integer("minHistory", Math.min(nc.minHistory(), last), 0, last);
            nc = new Checks.NewCountry(count(n, nc.count()), last, min);
        }
        Checks.HighRisk hr = d.highRiskDestination();
        if ((n = c.get("highRiskDestination")) != null) {
            n.allowOnly("highRiskDestination", keys("countries", "prefixes", "numberTypes"));
            hr = new Checks.HighRisk(count(n, hr.count()), destinations(n));
        }
        Checks.CostBurn cb = d.costBurn();
        if ((n = c.get("costBurn")) != null) {
            n.allowOnly("costBurn", keys("currency", "ratePerMinute", "estimateInterval"));
            Threshold t = new Threshold(n.number("warning", cb.threshold().warning()),
                    n.number("critical", cb.threshold().critical()));
            checkOrder(n, t);
            BigDecimal rate = n.decimal("ratePerMinute");
            String cur = n.string("currency", null);
            cb = new Checks.CostBurn(n.bool("enabled", true), n.seconds("window", cb.windowSeconds()), t,
                    cur == null ? null : cur.trim().toUpperCase(Locale.ROOT), rate,
                    n.seconds("estimateInterval", cb.estimateIntervalSeconds()));
        }
        Checks.Count bl = d.blacklistedSource();
        if ((n = c.get("blacklistedSource")) != null) {
            n.allowOnly("blacklistedSource", keys());
            bl = count(n, bl);
        }
        Checks.Scanner sc = d.scannerUserAgent();
        if ((n = c.get("scannerUserAgent")) != null) {
            n.allowOnly("scannerUserAgent", keys("patterns"));
            List<String> patterns = n.get("patterns") == null ? sc.patterns() : n.strings("patterns");
            sc = new Checks.Scanner(count(n, sc.count()), patterns);
        }
        Checks.Flood fl = d.sipFlood();
        if ((n = c.get("sipFlood")) != null) {
            n.allowOnly("sipFlood", Set.of("enabled", "window", "register", "invite", "options"));
            fl = new Checks.Flood(n.bool("enabled", true), n.seconds("window", fl.windowSeconds()),
                    pairOf(n.get("register"), fl.register()), pairOf(n.get("invite"), fl.invite()),
                    pairOf(n.get("options"), fl.options()));
        }
        Checks.AuthFailure af = d.authFailureRatio();
        if ((n = c.get("authFailureRatio")) != null) {
            n.allowOnly("authFailureRatio", keys("minSamples", "codes"));
            Set<Integer> codes = af.codes();
            if (n.get("codes") != null) {
                codes = new HashSet<>();
                for (String s : n.strings("codes")) {
                    try {
                        int code = Integer.parseInt(s.trim());
                        if (code < 300 || code > 699) {
                            throw new NumberFormatException();
                        }
                        codes.add(code);
                    } catch (NumberFormatException e) {
                        throw n.get("codes").error("codes are failure status codes 300..699: '" + s + "'");
                    }
                }
            }
            Threshold t = new Threshold(n.number("warning", af.threshold().warning()),
                    n.number("critical", af.threshold().critical()));
            checkOrder(n, t);
            af = new Checks.AuthFailure(n.bool("enabled", true), n.seconds("window", af.windowSeconds()),
                    (int) n.integer("minSamples", af.minSamples(), 1, 1_000_000), codes, t);
        }
        Checks.Irsf ir = d.irsfShortCalls();
        if ((n = c.get("irsfShortCalls")) != null) {
            n.allowOnly("irsfShortCalls", keys("maxDuration", "countries", "prefixes", "numberTypes"));
            ir = new Checks.Irsf(count(n, ir.count()), n.seconds("maxDuration", ir.maxDurationSeconds()), destinations(n));
        }
        return new Checks(ua, nc, hr, cb, bl, sc, fl, af, ir);
    }

    private static Set<String> keys(String... extra) {
        Set<String> s = new HashSet<>(Set.of("enabled", "window", "warning", "critical"));
        s.addAll(List.of(extra));
        return s;
    }

    private static Checks.Count count(ConfigNode n, Checks.Count def) throws LoadException {
        Threshold t = new Threshold(n.integer("warning", (long) def.threshold().warning(), 0, 1_000_000),
                n.integer("critical", (long) def.threshold().critical(), 0, 1_000_000));
        checkOrder(n, t);
        return new Checks.Count(n.bool("enabled", true), n.seconds("window", def.windowSeconds()), t);
    }

    private static Threshold pairOf(ConfigNode n, Threshold def) throws LoadException {
        if (n == null) {
            return def;
        }
        n.allowOnly("a threshold", Set.of("warning", "critical"));
        Threshold t = new Threshold(n.integer("warning", (long) def.warning(), 0, 10_000_000),
                n.integer("critical", (long) def.critical(), 0, 10_000_000));
        checkOrder(n, t);
        return t;
    }

    private static void checkOrder(ConfigNode n, Threshold t) throws LoadException {
        if (t.warning() > 0 && t.critical() > 0 && t.warning() > t.critical()) {
            ConfigNode w = n.get("warning");
            throw (w != null ? w : n).error("warning (" + t.warning() + ") is above critical (" + t.critical()
                    + "): the warning could never fire");
        }
    }

    private static Checks.Destinations destinations(ConfigNode n) throws LoadException {
        Set<String> countries = new HashSet<>();
        for (String s : n.strings("countries")) {
            String c = s.trim();
            if (c.length() != 2 || !Character.isLetter(c.charAt(0)) || !Character.isLetter(c.charAt(1))) {
                throw n.get("countries").error("countries are ISO 3166 alpha-2 codes such as CU: '" + s + "'");
            }
            countries.add(c);
        }
        List<String> prefixes = new ArrayList<>();
        for (String s : n.strings("prefixes")) {
            String p = s.trim();
            if (p.startsWith("+")) {
                p = p.substring(1);
            }
            if (p.isEmpty()) {
                throw n.get("prefixes").error("empty prefix would match every number");
            }
            prefixes.add(p);
        }
        return new Checks.Destinations(countries, new PrefixSet(prefixes), new HashSet<>(n.strings("numberTypes")));
    }
}
