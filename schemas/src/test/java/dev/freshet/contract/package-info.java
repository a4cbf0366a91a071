/**
 * Contract tests of the registry client and serdes: one abstract suite ({@code RegistryContract})
 * run against the {@code mock://} registry (unit tier), Apicurio Registry and Freshet's embedded
 * registry (integration tier).
 */
package dev.freshet.contract;
