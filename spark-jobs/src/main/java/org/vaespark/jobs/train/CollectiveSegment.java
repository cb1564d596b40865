package org.vaespark.jobs.train;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.SparkEnv;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.optim.AdamState;
import org.vaespark.core.train.FlatState;
import org.vaespark.core.train.PartitionTrainer;
import org.vaespark.core.train.Replica;
import org.vaespark.core.train.Shard;
import org.vaespark.core.train.TrainConfig;
import org.vaespark.core.train.UpdateGuard;
import org.vaespark.jobs.collective.Exchange;
import org.vaespark.jobs.collective.LocalExchange;
import org.vaespark.jobs.collective.MeanExchange;
import org.vaespark.jobs.collective.PeerMesh;
import org.vaespark.jobs.collective.Rendezvous;
import org.vaespark.jobs.collective.ReportChannel;
import scala.collection.Iterator;
import scala.runtime.AbstractFunction1;

/**
 * One task of a {@link CollectiveTrainer} stage: rounds {@code [first, end)} of parameter averaging
 * (McDonald et al. 2010; Zhang et al. 2015) run inside one Spark barrier stage. Each round is the same
 * short loop as the driver's: the partition's local Adam steps ({@link PartitionTrainer}), the mean of
 * all replicas' parameters and moments (an {@link Exchange} between the stage's tasks, no driver in
 * between: in memory when the tasks found at the driver's {@link Rendezvous} all run in this JVM,
 * else over a TCP {@link PeerMesh}), the {@link UpdateGuard} verdict, which every task reaches alike
 * because every task holds the same bits. Rank 0 reports the rounds' outcomes and the state at every
 * checkpoint period over a {@link ReportChannel} and returns the last period's.
 */
final class CollectiveSegment {
    private static final Logger LOG = LoggerFactory.getLogger(CollectiveSegment.class);
    /** Per-rank scalars of a round: examples, ELBO, reconstruction and KL sums, local seconds, Adam step. */
    private static final int SCALARS = 6;

    private CollectiveSegment() {
    }

    /**
     * What the driver broadcasts for a stage: the state to start from, rounds [first, end), and where to
     * find the other tasks ({@code rendezvous}) and to send rank 0's reports ({@code reports}).
     */
    record Input(VaeConfig model, TrainConfig train, ExchangeConfig exchange, NamedArrays parameters, AdamState adam,
                 long first, long end, long skippedTotal, int consecutiveSkips, String rendezvous, String reports, String id,
                 double progressSeconds)
            implements Serializable {
    }

    /**
     * Rank 0's glimpse of the rounds of the current checkpoint period so far, sent about twice per
     * progress.interval-seconds between reports so that the driver's progress lines keep their cadence
     * however long the period; the driver only logs it (the state comes with the period's {@link Result}).
     */
    record Glimpse(List<RoundOutcome> rounds) implements Serializable {
    }

    /**
     * Rank 0's report on a period of rounds: the outcome of every round of it, and the state after the
     * last. The parameters and moments are always those the newest applied round left ({@code goodRound},
     * or the stage's start): a skipped round keeps them and only moves the step on. A stage sends one at
     * every multiple of train.checkpoint-every-rounds before its end (over its {@link ReportChannel}) and
     * returns the last one.
     */
    record Result(List<RoundOutcome> rounds, NamedArrays parameters, AdamState adam, long goodRound) implements Serializable {
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
            try (Exchange e = exchange; ReportChannel.Source reports = rank == 0
                    ? ReportChannel.Source.connect(in.reports(), timeoutMs, ExchangeConfig.TIMEOUT_KEY) : null) {
                Result r = rounds(in, shard, e, counters, reports == null ? null : reports::send);
                List<Result> mine = rank == 0 ? List.of(r) : List.of();
                return scala.collection.JavaConverters.asScalaIterator(mine.iterator());
            }
        }
    }

    /**
     * Runs the stage's rounds on this task; {@code report} (rank 0's, null on the others) gets the
     * {@link Result} of each checkpoint period that ends before the stage does and a {@link Glimpse} of the
     * period so far about twice per progress.interval-seconds; the last Result is returned.
     */
    static Result rounds(Input in, Shard shard, Exchange exchange, TaskCounters counters, java.util.function.Consumer<Serializable> report) {
        TrainConfig train = in.train();
        Vae model = Replicas.model(in.model(), train, in.parameters());
        UpdateGuard guard = UpdateGuard.of(train, in.skippedTotal(), in.consecutiveSkips());
        List<RoundOutcome> outcomes = new ArrayList<>();
        long goodRound = in.first();
        try (Replica replica = new PartitionTrainer(train, shard).open(model, in.parameters(), in.adam())) {
            FlatState layout = replica.layout();
            // the state the rounds continue from (the last applied one) and the mean; the replica holds its own vector
            float[] state = replica.pack().clone();
            float[] mean = new float[layout.length()];
            // Rounds are timed back to back on each task: from the end of the previous round (the tasks leave an
            // exchange together), so the round a task times holds every task's local steps, up to scheduling skew.
            long started = System.nanoTime();
            long glimpseNanos = (long) (in.progressSeconds() * 0.5e9);
            long glimpsed = started;
            for (long round = in.first(); round < in.end(); round++) {
                Replica.Round local = counters.record(replica.run(train.averagingFrequency()));
                Exchange.Mean averaged = exchange.mean(replica.pack(), new double[]{local.examples(), local.elboSum(),
                    local.reconstructionSum(), local.klSum(), local.localSeconds(), local.step()}, mean);
                long exchanged = System.nanoTime();
                double examples = 0;
                double elbo = 0;
                double reconstruction = 0;
                double kl = 0;
                double localMax = 0;
                double localSum = 0;
                for (double[] s : averaged.scalars()) {
                    if ((long) s[5] != local.step()) {
                        throw new IllegalStateException("replicas disagree on the Adam step: " + local.step() + " vs " + (long) s[5]);
                    }
                    examples += s[0];
                    elbo += s[1];
                    reconstruction += s[2];
                    kl += s[3];
                    localMax = Math.max(localMax, s[4]);
                    localSum += s[4];
                }
                int replicas = averaged.scalars().length;
                double meanElbo = examples == 0 ? Double.NaN : elbo / examples;
                UpdateGuard.Verdict verdict = guard.judge(layout.updateNorm(state, mean), meanElbo);
                if (!verdict.skip()) {
                    float[] applied = mean;
                    mean = state;
                    state = applied;
                    goodRound = round + 1;
                }
                // a skipped round keeps the previous parameters and moments; the step count goes on
                replica.load(state, local.step());
                long done = System.nanoTime();
                double roundSeconds = (done - started) / 1e9;
                double update = (done - exchanged) / 1e9;
                // another task may have left the previous exchange a moment before this one: its local steps are capped at
                // what fits in this task's round, so the phases still add up to the round
                double critical = Math.min(localMax, roundSeconds - update);
                RoundTimes times = new RoundTimes(0, critical, Math.min(localSum / replicas, critical), roundSeconds - critical - update, update,
                        0, 0, roundSeconds);
                outcomes.add(RoundOutcome.of(round + 1, local.step(), (long) examples, replicas, meanElbo,
                        examples == 0 ? Double.NaN : reconstruction / examples, examples == 0 ? Double.NaN : kl / examples, verdict, guard, times));
                LOG.debug("round {}: local {} s, exchange and update {} s", round + 1, localMax, roundSeconds - localMax);
                // the next round starts now: a report built below counts in its time outside the local steps
                started = done;
                if (verdict.skip() && guard.exhausted()) {
                    break;
                }
                if (report != null && (round + 1) % train.checkpointEvery() == 0 && round + 1 < in.end()) {
                    report.accept(new Result(outcomes, layout.parameters(state), layout.adam(state, replica.step()), goodRound));
                    outcomes = new ArrayList<>();
                    glimpsed = done;
                } else if (report != null && done - glimpsed >= glimpseNanos) {
                    report.accept(new Glimpse(List.copyOf(outcomes)));
                    glimpsed = done;
                }
            }
            return new Result(outcomes, layout.parameters(state), layout.adam(state, replica.step()), goodRound);
        }
    }
}
