/**
 * Comparisons a user can trust: a run against a baseline (regressions and improvements with a
 * significance test and thresholds), the cost of each nesting level, and variants side by side
 * (VMCS shadowing on vs off, MMU modes). Figures are only judged like for like: the same
 * benchmark, metric, level, variant and unit, measured on hosts with the same fingerprint.
 */
package io.github.nestedvirt.compare;
