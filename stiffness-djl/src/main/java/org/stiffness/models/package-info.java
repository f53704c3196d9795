/**
 * Helpers for DJL models that do not depend on the model: loading saved parameter values into a
 * model's existing arrays in place, which both the project's saved checkpoints and HuggingFace
 * checkpoints use.
 */
package org.stiffness.models;
