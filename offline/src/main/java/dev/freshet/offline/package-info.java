/**
 * The offline pipeline, beside the model it trains: what the PaddlePaddle {@code youtube_recall}
 * scripts do on the reference TSV ({@code user \t province \t city \t video:category:tag1_tag2;...
 * \t phone}), as a library the launcher's commands delegate to. {@link
 * dev.freshet.offline.Instances} is the one place that turns a TSV line into model inputs; {@link
 * dev.freshet.offline.FeatureDictionary} counts feature values the way the model admits them;
 * {@link dev.freshet.offline.OfflineTrainer} runs seeded, shuffled passes over a file through the
 * same {@link dev.freshet.model.CandidateModel#train} the online trainer calls, and {@link
 * dev.freshet.offline.TrainingRun} is {@code train.py} on top of it (checkpoint and log per pass,
 * test metrics); {@link dev.freshet.offline.ModelRecommender} makes the model an evaluation {@code
 * Recommender} (batched user vectors, exact MIPS); {@link dev.freshet.offline.SequenceFiles} reads
 * TSV and MovieLens with their bad-line reports.
 *
 * <p>Evaluation: {@link dev.freshet.offline.OfflineEvaluation} on a time-ordered split (Covington,
 * Adams and Sargin, RecSys 2016, hold out by time), and {@link
 * dev.freshet.offline.LeaveOneOutEvaluation}, the protocol of SASRec (Kang and McAuley, ICDM 2018)
 * and S3-Rec (Zhou et al., CIKM 2020) with full ranking, baselines in the same run, several seeds
 * and early stopping on the validation events, so that figures sit next to published tables. No
 * Kafka here: the module depends on {@code model} and {@code data} only. See {@code
 * docs/offline.md}.
 */
package dev.freshet.offline;
