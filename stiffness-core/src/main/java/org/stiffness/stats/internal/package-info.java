/**
 * Not API: helpers the statistics of {@code org.stiffness.stats} and {@code
 * org.stiffness.stats.tiles} share ({@link org.stiffness.stats.internal.Checks}, the argument
 * checks whose errors name the offending example). Code outside this project should not use it; it
 * may change in any release.
 */
package org.stiffness.stats.internal;
