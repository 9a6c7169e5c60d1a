package io.github.nestedvirt.provision;

import org.libvirt.LibvirtException;

/** One call into libvirt-java whose {@link LibvirtException} the session translates. */
@FunctionalInterface
public interface LibvirtCall<T, S> {

    T call(S subject) throws LibvirtException;
}
