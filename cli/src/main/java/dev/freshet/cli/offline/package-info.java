/**
 * The offline commands: the PaddlePaddle {@code youtube_recall} scripts ({@code data_processor.py},
 * {@code train.py}, {@code infer.py}, {@code user_vector.py}, {@code item_vector.py}, {@code
 * infer_user.py}) rebuilt on the reference TSV format ({@code user \t province \t city \t
 * video:category:tag1_tag2;... \t phone}) and on the same {@link dev.freshet.model.CandidateModel}
 * the online trainer and stream app use, plus {@code evaluate} (next-click Recall@K, NDCG@K, MRR of
 * the model against the popularity and item co-occurrence baselines on a time-ordered split, or the
 * field's leave-one-out protocol with session-kNN too), the synthetic generator and the MovieLens
 * and sequence-file importers.
 *
 * <p>The model is the deep candidate generation network of Covington, Adams &amp; Sargin, "Deep
 * Neural Networks for YouTube Recommendations" (RecSys 2016); item vectors are turned into cosine
 * search by SIMPLE-LSH (Neyshabur &amp; Srebro, ICML 2015). The commands are thin: they parse and
 * validate options and delegate to the {@code offline} module ({@link
 * dev.freshet.offline.Instances}, {@link dev.freshet.offline.OfflineTrainer}, {@link
 * dev.freshet.offline.TrainingRun}, {@link dev.freshet.offline.ModelRecommender}, {@link
 * dev.freshet.offline.OfflineEvaluation}, {@link dev.freshet.offline.LeaveOneOutEvaluation}) and to
 * the {@code data} module's importers. What stays here is command-line shaped: {@link
 * dev.freshet.cli.offline.ModelOptions} (hyper-parameters as options), the output formats of {@code
 * infer} and the vector commands, and the path converters. The commands and the test-set
 * definitions are documented in {@code docs/offline.md}.
 */
package dev.freshet.cli.offline;
