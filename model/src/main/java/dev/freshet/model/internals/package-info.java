/**
 * Implementation of the model; not a stable API. The batched math lives here: {@link
 * dev.freshet.model.internals.Network} (user tower of Covington et al. 2016: embedding gathers,
 * average and masked max pooling, concatenation, ReLU layers), {@link
 * dev.freshet.model.internals.Lstm} (batched LSTM, Hochreiter &amp; Schmidhuber 1997, with masking
 * of padded steps), {@link dev.freshet.model.internals.SampledLoss} (NCE, Gutmann &amp; Hyvärinen
 * 2010 / Mnih &amp; Teh 2012, with the {@code log(k·q)} correction; sampled softmax with logQ
 * correction, Bengio &amp; Senécal 2008 / Jean et al. 2015), {@link
 * dev.freshet.model.internals.SparseTable} (collisionless embedding tables with frequency admission
 * and expiry, per-row Adagrad, Duchi et al. 2011), {@link dev.freshet.model.internals.Adam} (Kingma
 * &amp; Ba 2015), {@link dev.freshet.model.internals.FenwickSampler} (incrementally maintained
 * noise distribution), the training engine {@link dev.freshet.model.internals.ModelCore} and the
 * binary {@link dev.freshet.model.internals.CheckpointCodec}; {@link
 * dev.freshet.model.internals.PlainTower} is the tower's forward pass as plain-Java float loops for
 * small inference batches.
 *
 * <p>Gemms run on ND4J/OpenBLAS in the configured precision (float, or double for finite-difference
 * checks), batched over whole mini-batches because every ND4J op has a fixed cost of ~10 µs;
 * everything element-wise (LSTM gates and cell updates per time step, bias and ReLU, Adam) is fused
 * into plain-Java loops over the arrays' off-heap buffers ({@code Buf}), and sparse
 * gathers/scatters and the sampled loss run as plain-Java loops over the touched rows only.
 */
package dev.freshet.model.internals;
