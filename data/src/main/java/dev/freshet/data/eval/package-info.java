/**
 * Offline and streaming evaluation of next-click recommendation: Recall@K, NDCG@K and MRR on a
 * time-ordered split, the {@link dev.freshet.data.eval.Recommender} interface that models plug
 * into, the two baselines every model is compared with (most-popular and item co-occurrence on the
 * previous click), and the prequential ("test then train") recall accumulator the stream app uses.
 *
 * <p>Covington, Adams and Sargin (RecSys 2016) evaluate candidate generation by predicting a user's
 * next watch from the history before it, holding out by time rather than at random, because a
 * random hold-out leaks future information; the split here follows that (see {@link
 * dev.freshet.data.eval.TimeSplit}). The metrics are the usual ones of the {@code youtube_recall}
 * example and of the sequential-recommendation literature; MovieLens (Harper and Konstan, ACM TiiS
 * 2015) is the real data they are measured on.
 *
 * <p>For figures comparable with published tables the package also has the leave-one-out protocol
 * of SASRec (Kang and McAuley, ICDM 2018) and S3-Rec (Zhou et al., CIKM 2020): {@link
 * dev.freshet.data.eval.LeaveOneOut} (last click test, the one before validation), {@link
 * dev.freshet.data.eval.RankingEvaluator} (full ranking, HR@K and NDCG@K at several cut-offs, MRR)
 * and {@link dev.freshet.data.eval.LeaveOneOutReport} (mean and spread over seeds, JSON); and a
 * third, stronger baseline, {@link dev.freshet.data.eval.SessionKnnRecommender}, the V-SKNN of
 * Ludewig and Jannach (UMUAI 2018).
 */
package dev.freshet.data.eval;
