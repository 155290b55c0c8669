package dev.steward.survey;

/**
 * What sending a survey did: how many contacts it emailed now, how many were asked before (by an earlier send, or by
 * another instance at the same time), and how many it left out because their address unsubscribed.
 */
public record SurveySending(int emailed, int askedBefore, int unsubscribed) {}
