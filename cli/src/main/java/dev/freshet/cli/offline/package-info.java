/**
 * The offline commands: the PaddlePaddle {@code youtube_recall} scripts ({@code data_processor.py},
 * {@code train.py}, {@code infer.py}, {@code user_vector.py}, {@code item_vector.py}, {@code
 * infer_user.py}) rebuilt on the reference TSV format ({@code user \t province \t city \t
 * video:category:tag1_tag2;... \t phone}) and on the same {@link dev.freshet.model.CandidateModel}
 * the online trainer and stream app use, plus {@code evaluate} (next-click Recall@K, NDCG@K, MRR of
 * the model against the popularity and item co-occurrence baselines on a time-ordered split), the
 * synthetic generator and the MovieLens importer.
 *
 * <p>The model is the deep candidate generation network of Covington, Adams &amp; Sargin, "Deep
 * Neural Networks for YouTube Recommendations" (RecSys 2016); item vectors are turned into cosine
 * search by SIMPLE-LSH (Neyshabur &amp; Srebro, ICML 2015). Shared pieces: {@link
 * dev.freshet.cli.offline.Instances} (one place that turns a TSV line into model inputs), {@link
 * dev.freshet.cli.offline.ModelOptions} (hyper-parameters as options), {@link
 * dev.freshet.cli.offline.OfflineTrainer} (passes over a file), {@link
 * dev.freshet.cli.offline.ModelRecommender} (the model as an evaluation {@code Recommender}). The
 * commands and the test-set definition are documented in {@code docs/offline.md}.
 */
package dev.freshet.cli.offline;
