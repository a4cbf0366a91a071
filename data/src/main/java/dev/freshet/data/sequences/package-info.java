/**
 * Import of the sequential-recommendation benchmark format used by SASRec (Kang and McAuley, ICDM
 * 2018) and S3-Rec (Zhou et al., CIKM 2020): one user per line, {@code user item item ...} in time
 * order, plus an {@code item2attributes} JSON object mapping each item id to its attribute ids. The
 * Amazon "Toys and Games" 5-core file (McAuley et al., SIGIR 2015) in this layout is the data the
 * published full-ranking leave-one-out figures are measured on, so importing it into the reference
 * TSV lets Freshet's model and baselines be scored on exactly the same sequences.
 *
 * <p>{@link dev.freshet.data.sequences.ItemAttributes} reads the JSON with Jackson's streaming
 * parser (entry by entry, so one malformed value is one reported bad entry, not a failed file);
 * {@link dev.freshet.data.sequences.SequenceImporter} reads the sequence file, joins the attributes
 * (first attribute = category, the rest = tags) and reports bad lines with their line numbers.
 * Neither ever throws for bad input; see {@code docs/data.md}.
 */
package dev.freshet.data.sequences;
