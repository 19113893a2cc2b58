package io.hepstack.tools;

import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import io.hepstack.collector.CollectorApplication;
import io.hepstack.collector.CollectorConfiguration;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The collector application finds the tools' commands through ServiceLoader, as in collector.jar. */
class ToolCommandsTest {

    @Test
    void theCollectorApplicationOffersEveryToolCommand() {
        CollectorApplication app = new CollectorApplication();
        Bootstrap<CollectorConfiguration> bootstrap = new Bootstrap<>(app);
        app.initialize(bootstrap);
        assertThat(bootstrap.getCommands()).extracting(Command::getName)
                .containsExactly("hash-password", "new-token", "replay", "hepgen", "watchers", "kibana-import", "kibana-export");
    }

    @Test
    void theHelpListsTheServerAndEveryToolCommand() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            new CollectorApplication().run("--help");
        } finally {
            System.setOut(stdout);
        }
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("{server,check,hash-password,new-token,replay,hepgen,watchers,kibana-import,kibana-export}");
    }
}
