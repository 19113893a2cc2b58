package io.hepstack.collector;

import io.dropwizard.core.cli.Command;

import java.util.List;

/**
 * Extra subcommands of the collector's jar, found with {@link java.util.ServiceLoader} (listed in
 * {@code META-INF/services/io.hepstack.collector.CommandProvider}). The collector module holds only
 * the runtime ({@code server}, {@code check}); the tools module (hepgen, replay, watchers,
 * kibana-import, kibana-export) provides its commands this way, so the shaded {@code collector.jar},
 * which holds both, offers every command while the collector does not depend on the tools.
 */
public interface CommandProvider {

    /** The commands to add: plain {@link Command}s or {@code ConfiguredCommand<CollectorConfiguration>}s. */
    List<Command> commands();
}
