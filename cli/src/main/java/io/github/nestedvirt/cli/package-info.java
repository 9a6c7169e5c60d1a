/** The {@code nvmx} command line: picocli commands over the engine in {@code core}. */
package io.github.nestedvirt.cli;
