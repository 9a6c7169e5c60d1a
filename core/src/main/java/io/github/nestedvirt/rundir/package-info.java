/**
 * The run directory protocol between a caller (the Jenkins step, {@code nvmx attach}) and a
 * detached engine process: {@code spec.json} in, {@code pid}, {@code log.txt},
 * {@code events.jsonl}, {@code topology.json}, {@code result.json} and {@code exit} out. Either
 * side may go away and come back; the files say where the other one stands.
 */
package io.github.nestedvirt.rundir;
