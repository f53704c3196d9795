package org.stiffness.cli;

import java.util.List;
import org.stiffness.cli.reproduce.Claim;
import org.stiffness.cli.reproduce.Claims;

/**
 * One experiment of {@code reproduce}: its name (its directory), what it is in words, the request
 * that runs it, the claims it is judged on, or why it does not run.
 *
 * @param name the experiment's name and directory, e.g. {@code fashion-mnist-fc}
 * @param description what it trains, in words
 * @param request what it runs, or null when it does not run
 * @param overfits whether it trains until the model overfits (judged on {@link
 *     Claim#GENERALISATION} alone)
 * @param notRun why it does not run, or null when it does
 */
record PlannedExperiment(
    String name, String description, ExperimentRequest request, boolean overfits, String notRun) {

  /** An experiment the data at hand does not allow. */
  static PlannedExperiment absent(String name, String description, String why) {
    return new PlannedExperiment(name, description, null, false, why);
  }

  /** The claims it answers. */
  List<Claim> claims() {
    return overfits ? List.of(Claim.GENERALISATION) : Claims.STANDARD;
  }

  /** The equivalent command line, as reproduction.json shows it; empty when it does not run. */
  String command() {
    return request == null
        ? ""
        : "stiffness " + String.join(" ", request.arguments()) + " --out DIR/" + name;
  }
}
