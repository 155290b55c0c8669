package dev.steward.playbook;

import java.util.UUID;

/**
 * Published, in the writing transaction, when a CTA was made, changed or acted on (its history grew): for figures that
 * count CTAs and keep what they counted until then.
 */
public record CtasChanged(UUID cta) {}
