/**
 * The {@code freshet} command-line launcher: the embedded demo, a local broker and registry, the
 * offline commands that mirror PaddlePaddle's {@code youtube_recall} scripts, and the operator
 * tools (produce, consume, topics, replay).
 */
package dev.freshet.cli;
