package io.github.nestedvirt.provision;

import org.libvirt.Connect;
import org.libvirt.ErrorCallback;
import org.libvirt.Library;
import org.libvirt.LibvirtException;

/**
 * Per-JVM libvirt setup: the default event loop, registered once and run on a daemon thread, and
 * a silent error callback.
 *
 * <p>Without it, keepalive and domain events do not work on remote connections
 * ({@code qemu+ssh://}): the connection is then only noticed dead on the next call. It must be
 * registered before the first connection is opened.
 */
final class LibvirtEventLoop {

    /** Held here so that the native callback is never garbage-collected. */
    private static final ErrorCallback SILENT = new ErrorCallback();
    private static boolean started;

    private LibvirtEventLoop() {
    }

    static synchronized void ensureStarted() throws LibvirtException {
        if (started) {
            return;
        }
        // libvirt prints every error to stderr by default; the engine reports them in its own
        // exceptions instead, so the default printer only duplicated them into the output.
        Connect.setErrorCallback(SILENT);
        Library.initEventLoop();
        Thread loop = new Thread(LibvirtEventLoop::run, "libvirt-event-loop");
        loop.setDaemon(true);
        loop.start();
        started = true;
    }

    private static void run() {
        while (true) {
            try {
                Library.runEventLoop();
            } catch (InterruptedException e) {
                return;
            } catch (LibvirtException e) {
                // One failed iteration must not end event handling for the rest of the JVM.
                System.err.println("libvirt event loop: " + e.getMessage());
            }
        }
    }
}
