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
        return report(e, commandLine.getErr());
    }

    /** Writes the failure's line to {@code err} and returns its exit code. */
    static int report(Exception e, java.io.PrintWriter err) {
        if (e instanceof PlanException || e instanceof IllegalArgumentException) {
            err.println("nvmx: " + e.getMessage());
            return ExitCode.BAD_INPUT;
        }
        if (e instanceof GuestNotReadyException || e instanceof LibvirtFailedException) {
            err.println("nvmx: guests not provisioned, everything created was removed: " + e.getMessage());
            return ExitCode.HOST_UNREACHABLE;
        }
        if (e instanceof HostUnreachableException) {
            err.println("nvmx: host unreachable: " + e.getMessage());
            return ExitCode.HOST_UNREACHABLE;
        }
        if (e instanceof KvmModuleException) {
            err.println("nvmx: kvm module: " + e.getMessage());
            return ExitCode.PREFLIGHT_FAILED;
        }
        if (e instanceof HostException) {
            err.println("nvmx: " + e.getMessage());
            return ExitCode.BENCHMARK_FAILED;
        }
        if (e instanceof InterruptedException) {
            err.println("nvmx: interrupted");
            return ExitCode.INTERRUPTED;
        }
        err.println("nvmx: internal error: " + e);
        e.printStackTrace(err);
        err.flush();
        return ExitCode.INTERNAL_ERROR;
    }

    static int onBadParameter(CommandLine.ParameterException e, String[] args) {
        CommandLine commandLine = e.getCommandLine();
        commandLine.getErr().println("nvmx: " + e.getMessage());
        commandLine.getErr().println("Try '" + commandLine.getCommandSpec().qualifiedName() + " --help'.");
        return ExitCode.BAD_INPUT;
    }
}
