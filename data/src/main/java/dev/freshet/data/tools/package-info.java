/**
 * Command-line entry points of the data module: {@link dev.freshet.data.tools.EvaluateBaselines}
 * imports MovieLens (Harper and Konstan, ACM TiiS 2015) or generates synthetic clicks and scores
 * the baselines of the candidate-generation evaluation (after Covington et al., RecSys 2016),
 * producing the figures recorded in {@code docs/data.md}. They live here, apart from the library
 * packages, so that the library has no console or exit-code concerns.
 */
package dev.freshet.data.tools;
