package io.github.nestedvirt.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code nvmx}: the nested-virtualization test plan on the command line. */
@Command(name = "nvmx", mixinStandardHelpOptions = true, versionProvider = Nvmx.Version.class,
        description = "Runs the nested-virtualization (nVMX) test plan on L0, L1 and L2 hosts and keeps the "
                + "results as trends.",
        subcommands = {PreflightCommand.class, BenchCommand.class, RunCommand.class, ReportCommand.class,
            CompareCommand.class, ImportCommand.class,
            ProvisionCommand.class, TeardownCommand.class, ReapCommand.class,
            ExecCommand.class, AttachCommand.class, MigrateCommand.class,
            CommandLine.HelpCommand.class},
        footerHeading = "%n", footer = ExitCode.HELP)
public final class Nvmx {

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs one command line and returns its exit code; Ctrl-C and SIGTERM interrupt it cleanly. */
    static int execute(String... args) {
        CommandLine commandLine = new CommandLine(new Nvmx())
                .setExecutionExceptionHandler(new ErrorHandler())
                .setParameterExceptionHandler(ErrorHandler::onBadParameter);
        return Interruptible.run(() -> commandLine.execute(args));
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Nvmx.class.getPackage().getImplementationVersion();
            return new String[] {"nvmx " + (version == null ? "(development build)" : version)};
        }
    }
}
