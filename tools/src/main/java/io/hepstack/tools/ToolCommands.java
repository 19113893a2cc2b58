package io.hepstack.tools;

import io.dropwizard.core.cli.Command;
import io.hepstack.collector.CommandProvider;
import io.hepstack.tools.hepgen.HepgenCommand;
import io.hepstack.tools.hepgen.ReplayCommand;
import io.hepstack.tools.alerting.WatchersCommand;
import io.hepstack.tools.kibana.KibanaExportCommand;
import io.hepstack.tools.kibana.KibanaImportCommand;

import java.util.List;

/**
 * The tools' subcommands of {@code collector.jar}: the collector application finds this class with
 * {@link java.util.ServiceLoader} (META-INF/services/io.hepstack.collector.CommandProvider).
 */
public final class ToolCommands implements CommandProvider {

    @Override
    public List<Command> commands() {
        return List.of(new ReplayCommand(), new HepgenCommand(), new WatchersCommand(),
                new KibanaImportCommand(), new KibanaExportCommand());
    }
}
