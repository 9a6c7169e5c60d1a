/**
 * The Pipeline steps of the engine ({@code nestedKernelBuild}, {@code nestedTopology}, ...): their
 * parameters, read off the engine's own spec records, and the binding of a step call's arguments
 * to those records with the strict reading plan files get.
 */
package io.github.nestedvirt.steps;
