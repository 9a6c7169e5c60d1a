package io.github.nestedvirt.cli;

import io.github.nestedvirt.host.HostException;
import io.github.nestedvirt.host.HostUnreachableException;
import io.github.nestedvirt.kvm.KvmModuleException;
import io.github.nestedvirt.plan.PlanException;
import io.github.nestedvirt.provision.GuestNotReadyException;
import io.github.nestedvirt.provision.LibvirtFailedException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Turns failures into one clear line on stderr and the documented exit code. */
final class ErrorHandler implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, ParseResult parseResult) {
        if (e instanceof PlanException || e instanceof IllegalArgumentException) {
            commandLine.getErr().println("nvmx: " + e.getMessage());
            return ExitCode.BAD_INPUT;
        }
        if (e instanceof GuestNotReadyException || e instanceof LibvirtFailedException) {
            commandLine.getErr().println("nvmx: guests not provisioned, everything created was removed: " + e.getMessage());
            return ExitCode.HOST_UNREACHABLE;
        }
        if (e instanceof HostUnreachableException) {
            commandLine.getErr().println("nvmx: host unreachable: " + e.getMessage());
            return ExitCode.HOST_UNREACHABLE;
        }
        if (e instanceof KvmModuleException) {
            commandLine.getErr().println("nvmx: kvm module: " + e.getMessage());
            return ExitCode.PREFLIGHT_FAILED;
        }
        if (e instanceof HostException) {
            commandLine.getErr().println("nvmx: " + e.getMessage());
            return ExitCode.BENCHMARK_FAILED;
        }
        if (e instanceof InterruptedException) {
            commandLine.getErr().println("nvmx: interrupted");
            return ExitCode.INTERRUPTED;
        }
        commandLine.getErr().println("nvmx: internal error: " + e);
        e.printStackTrace(commandLine.getErr());
        return ExitCode.INTERNAL_ERROR;
    }

    static int onBadParameter(CommandLine.ParameterException e, String[] args) {
        CommandLine commandLine = e.getCommandLine();
        commandLine.getErr().println("nvmx: " + e.getMessage());
        commandLine.getErr().println("Try '" + commandLine.getCommandSpec().qualifiedName() + " --help'.");
        return ExitCode.BAD_INPUT;
    }
}
