/**
 * Resources that never leak: every libvirt domain, volume, network, seed image and file a run
 * creates is written to the run directory's {@code topology.json} before it is created
 * ({@link io.github.nestedvirt.lifecycle.TopologyRecord}), removed in reverse order by
 * {@link io.github.nestedvirt.lifecycle.Teardown} whatever happened, and found again by
 * {@link io.github.nestedvirt.lifecycle.Reaper} through the owner tag in each domain's metadata
 * when the run that made it is gone.
 */
package io.github.nestedvirt.lifecycle;
