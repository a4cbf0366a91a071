/**
 * The stream app's dashboard under {@code /dashboard/} of its query server: each instance samples
 * its own figures every second ({@link dev.freshet.streams.dashboard.InstanceSampler}), looks at
 * the cluster every five ({@link dev.freshet.streams.dashboard.ClusterWatch}), and answers for the
 * whole application by merging the other instances' figures with its own ({@link
 * dev.freshet.streams.dashboard.Dashboard}).
 */
package dev.freshet.streams.dashboard;
