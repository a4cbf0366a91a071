/**
 * Freshet's candidate-generation model: the deep candidate-generation network of Covington, Adams
 * &amp; Sargin, "Deep Neural Networks for YouTube Recommendations" (RecSys 2016), in the shape of
 * the PaddlePaddle {@code youtube_recall} example, made trainable online.
 *
 * <p>Public API: {@link dev.freshet.model.ModelConfig} (sizes, loss, sampler, admission,
 * optimizers), the input records {@link dev.freshet.model.UserContext}, {@link
 * dev.freshet.model.Item} and {@link dev.freshet.model.Instance}, the trainable {@link
 * dev.freshet.model.CandidateModel} (mini-batch training, user/item vectors, change tracking, row
 * and dense-tensor export/import, checkpoints), the read-only {@link dev.freshet.model.UserTower}
 * assembled from published parameters, exact top-K maximum inner product search {@link
 * dev.freshet.model.Mips}, and the SIMPLE-LSH transform {@link dev.freshet.model.SimpleLsh}
 * (Neyshabur &amp; Srebro, "On Symmetric and Asymmetric LSHs for Inner Product Search", ICML 2015).
 *
 * <p>The output layer is trained with noise-contrastive estimation (Gutmann &amp; Hyvärinen 2010;
 * Mnih &amp; Teh 2012) or sampled softmax with logQ correction (Bengio &amp; Senécal 2008; Jean et
 * al. 2015). Sparse rows use Adagrad (Duchi, Hazan &amp; Singer 2011), dense weights Adam (Kingma
 * &amp; Ba 2015). This module imports no Kafka classes: the stream app and the trainer wrap it.
 */
package dev.freshet.model;
