/** Test helpers shared by the schemas module's unit and contract tests. */
package dev.freshet.testing;
