/** Health scorecards and scores: versioned scorecard documents, the scoring engine, explanations. */
package dev.steward.health;
