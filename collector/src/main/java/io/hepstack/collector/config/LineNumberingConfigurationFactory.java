package io.hepstack.collector.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.configuration.ConfigurationSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import jakarta.validation.Validator;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Dropwizard's YAML configuration factory, plus the line number of every setting it complains
 * about: Dropwizard names the path ({@code hep.udp.port}) of a wrong type or an invalid value but
 * not where it is in the file, so this looks the path up in the YAML and says "line 7".
 */
public final class LineNumberingConfigurationFactory<T> extends YamlConfigurationFactory<T> {

    private static final Pattern PATH = Pattern.compile("(?:at: |^\\s*\\* )([A-Za-z_][\\w.\\[\\]]*)");

    public LineNumberingConfigurationFactory(Class<T> klass, Validator validator, ObjectMapper mapper, String prefix) {
        // a misspelt key is an error, not a silently ignored setting
        super(klass, validator, mapper.copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES), prefix);
    }

    @Override
    public T build(ConfigurationSourceProvider provider, String path) throws IOException, ConfigurationException {
        try {
            return super.build(provider, path);
        } catch (ConfigurationException e) {
            String lines = linesOf(provider, path, e.getMessage());
            if (lines.isEmpty()) {
                throw e;
            }
            throw new LineNumberedException(path, e.getMessage().replaceFirst("^.*? has an error:\\s*", "").trim()
                    + "\n    (" + lines + " of " + path + ")", e.getCause());
        }
    }

    /** "line 5", or "lines 5, 9" for the paths named in the message; empty when none is found. */
    static String linesOf(ConfigurationSourceProvider provider, String file, String message) {
        Node root;
        try (InputStream in = provider.open(file)) {
            root = new Yaml(new LoaderOptions()).compose(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (Exception e) {
            return ""; // a syntax error: Dropwizard's message already has line and column
        }
        Set<Integer> lines = new LinkedHashSet<>();
        for (String messageLine : message.split("\n")) {
            Matcher m = PATH.matcher(messageLine);
            while (m.find()) {
                int line = find(root, m.group(1));
                if (line > 0) {
                    lines.add(line);
                }
            }
        }
        if (lines.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder(lines.size() == 1 ? "line " : "lines ");
        int i = 0;
        for (int l : lines) {
            sb.append(i++ > 0 ? ", " : "").append(l);
        }
        return sb.toString();
    }

    /** 1-based line of the deepest node of a dotted path (list indexes as [n]); 0 when absent. */
    static int find(Node root, String path) {
        Node node = root;
        int line = 0;
        for (String part : path.split("\\.")) {
            String key = part;
            int index = -1;
            int bracket = part.indexOf('[');
            if (bracket > 0 && part.endsWith("]")) {
                key = part.substring(0, bracket);
                try {
                    index = Integer.parseInt(part.substring(bracket + 1, part.length() - 1));
                } catch (NumberFormatException e) {
                    index = -1;
                }
            }
            if (!(node instanceof MappingNode map)) {
                return line;
            }
            Node next = null;
            for (NodeTuple t : map.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                    next = t.getValueNode();
                    line = t.getKeyNode().getStartMark().getLine() + 1;
                    break;
                }
            }
            if (next == null) {
                return line;
            }
            if (index >= 0 && next instanceof SequenceNode seq && index < seq.getValue().size()) {
                next = seq.getValue().get(index);
                line = next.getStartMark().getLine() + 1;
            }
            node = next;
        }
        return line;
    }
}

/** A configuration error whose message also names the lines of the settings it is about. */
final class LineNumberedException extends ConfigurationException {
    LineNumberedException(String path, String error, Throwable cause) {
        super(path, Set.of(error), cause);
    }
}
