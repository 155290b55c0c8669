/**
 * The scoring engine: plain Java without Spring or SQL that reads scorecard documents and turns facts already gathered
 * into measure values, points, scores and their explanations. Other modules may use it (backtests judge suggested
 * weights with its arithmetic).
 */
@org.springframework.modulith.NamedInterface("engine")
package dev.steward.health.engine;
