package org.vaespark.jobs.train;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.SparkEnv;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vaespark.core.model.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.train.AdamState;
import org.vaespark.core.train.FlatState;
import org.vaespark.core.train.PartitionTrainer;
import org.vaespark.core.train.RoundResult;
import org.vaespark.core.train.Shard;
import org.vaespark.core.train.TrainConfig;
import org.vaespark.core.train.UpdateGuard;
import org.vaespark.jobs.collective.Exchange;
import org.vaespark.jobs.collective.LocalExchange;
import org.vaespark.jobs.collective.MeanExchange;
import org.vaespark.jobs.collective.PeerMesh;
import org.vaespark.jobs.collective.Rendezvous;
import scala.collection.Iterator;
import scala.runtime.AbstractFunction1;

/**
 * One task of a {@link CollectiveTrainer} segment: rounds {@code [first, end)} of parameter averaging
 * (McDonald et al. 2010; Zhang et al. 2015) run inside one Spark barrier stage. Each round is the same
 * short loop as the driver's: the partition's local Adam steps ({@link PartitionTrainer}), the mean of
 * all replicas' parameters and moments (an {@link Exchange} between the stage's tasks, no driver in
 * between: in memory when the tasks found at the driver's {@link Rendezvous} all run in this JVM,
 * else over a TCP {@link PeerMesh}), the {@link UpdateGuard} verdict, which every task reaches alike
 * because every task holds the same bits. Rank 0 returns the rounds' outcomes and the state.
 */
final class CollectiveSegment {
    private static final Logger LOG = LoggerFactory.getLogger(CollectiveSegment.class);
    /** Per-rank scalars of a round: examples, ELBO, reconstruction and KL sums, local seconds, Adam step. */
    private static final int SCALARS = 6;

    private CollectiveSegment() {
    }

    /** What the driver broadcasts for a segment. */
    record Input(VaeConfig model, TrainConfig train, ExchangeConfig exchange, NamedArrays parameters, AdamState adam,
                 long first, long end, long skippedTotal, int consecutiveSkips, String rendezvous, String id) implements Serializable {
    }

    /**
     * Rank 0's report: the outcome of every round it ran, the state after the last, and the last state
     * a round applied (the state after the newest round that was not skipped, or the segment's start).
     */
    record Result(List<RoundOutcome> rounds, NamedArrays parameters, AdamState adam, NamedArrays goodParameters,
                  AdamState goodAdam, long goodRound) implements Serializable {
    }

    /** The barrier stage's function over one partition (one shard). */
    static final class Task extends AbstractFunction1<Iterator<Shard>, Iterator<Result>> implements Serializable {
        private final Broadcast<Input> input;
        private final TaskCounters counters;

        Task(Broadcast<Input> input, TaskCounters counters) {
            this.input = input;
            this.counters = counters;
        }

        @Override
        public Iterator<Result> apply(Iterator<Shard> shards) {
            Shard shard = shards.next();
            if (shards.hasNext()) {
                throw new IllegalStateException("a training partition holds one shard, partition " + shard.partition() + " holds more");
            }
            int rank = BarrierTaskContext.get().partitionId();
            Input in = input.value();
            int timeoutMs = (int) Math.min(Integer.MAX_VALUE, in.exchange().timeoutSeconds() * 1000L);
            int length = new FlatState(in.parameters()).length();
            String host = SparkEnv.get().blockManager().blockManagerId().host();
            Exchange exchange;
            try (PeerMesh.Listener listener = PeerMesh.listen(host)) {
                Rendezvous.Peers peers = Rendezvous.join(in.rendezvous(), rank, listener.address(), timeoutMs, ExchangeConfig.TIMEOUT_KEY);
                exchange = peers.allHere()
                        ? LocalExchange.join(in.id(), rank, peers.addresses().length, length, timeoutMs, ExchangeConfig.TIMEOUT_KEY)
                        : new MeanExchange(listener.connect(rank, peers.addresses(), timeoutMs, ExchangeConfig.TIMEOUT_KEY), length, SCALARS);
            }
            try (Exchange e = exchange) {
                Result r = rounds(in, shard, e, rank, counters);
                List<Result> mine = rank == 0 ? List.of(r) : List.of();
                return scala.collection.JavaConverters.asScalaIterator(mine.iterator());
            }
        }
    }

    static Result rounds(Input in, Shard shard, Exchange exchange, int rank, TaskCounters counters) {
        TrainConfig train = in.train();
        NamedArrays params = in.parameters();
        AdamState adam = in.adam();
        Vae model = Replicas.model(in.model(), train, params);
        FlatState layout = new FlatState(params);
        float[] vector = new float[layout.length()];
        UpdateGuard guard = UpdateGuard.of(train, in.skippedTotal(), in.consecutiveSkips());
        PartitionTrainer trainer = new PartitionTrainer(train, shard);
        List<RoundOutcome> outcomes = new ArrayList<>();
        NamedArrays goodParams = params;
        AdamState goodAdam = adam;
        long goodRound = in.first();
        // Rounds are timed back to back on each task: from the end of the previous round (the tasks leave an
        // exchange together), so the round a task times holds every task's local steps, up to scheduling skew.
        long started = System.nanoTime();
        for (long round = in.first(); round < in.end(); round++) {
            RoundResult mine = counters.record(trainer.run(model, params, adam, train.averagingFrequency()));
            layout.pack(mine.parameters(), mine.adam(), vector);
            Exchange.Mean mean = exchange.mean(vector, new double[]{mine.examples(), mine.elboSum(), mine.reconstructionSum(),
                mine.klSum(), mine.localSeconds(), mine.adam().step()});
            long averaged = System.nanoTime();
            double examples = 0;
            double elbo = 0;
            double reconstruction = 0;
            double kl = 0;
            double localMax = 0;
            double localSum = 0;
            for (double[] s : mean.scalars()) {
                if ((long) s[5] != mine.adam().step()) {
                    throw new IllegalStateException("replicas disagree on the Adam step: " + mine.adam().step() + " vs " + (long) s[5]);
                }
                examples += s[0];
                elbo += s[1];
                reconstruction += s[2];
                kl += s[3];
                localMax = Math.max(localMax, s[4]);
                localSum += s[4];
            }
            int replicas = mean.scalars().length;
            NamedArrays averagedParams = layout.parameters(mean.vector());
            double meanElbo = examples == 0 ? Double.NaN : elbo / examples;
            UpdateGuard.Verdict verdict = guard.judge(params, averagedParams, meanElbo);
            if (verdict.skip()) {
                adam = new AdamState(adam.m(), adam.v(), mine.adam().step());
            } else {
                params = averagedParams;
                adam = layout.adam(mean.vector(), mine.adam().step());
                goodParams = params;
                goodAdam = adam;
                goodRound = round + 1;
            }
            long done = System.nanoTime();
            double roundSeconds = (done - started) / 1e9;
            double update = (done - averaged) / 1e9;
            // another task may have left the previous exchange a moment before this one: its local steps are capped at
            // what fits in this task's round, so the phases still add up to the round
            double critical = Math.min(localMax, roundSeconds - update);
            RoundTimes times = new RoundTimes(0, critical, Math.min(localSum / replicas, critical), roundSeconds - critical - update, update, 0, 0,
                    roundSeconds);
            outcomes.add(RoundOutcome.of(round + 1, adam.step(), (long) examples, replicas, meanElbo,
                    examples == 0 ? Double.NaN : reconstruction / examples, examples == 0 ? Double.NaN : kl / examples, verdict, guard, times));
            if (rank == 0) {
                LOG.debug("round {}: local {} s, exchange and update {} s", round + 1, localMax, roundSeconds - localMax);
            }
            started = done;
            if (verdict.skip() && guard.exhausted()) {
                break;
            }
        }
        return new Result(outcomes, params, adam, goodParams, goodAdam, goodRound);
    }
}
