/** Backtests: scores past days with any scorecard version and measures how well the scores foretold churn. */
package dev.steward.backtest;
