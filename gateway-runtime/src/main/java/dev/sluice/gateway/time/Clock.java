package dev.sluice.gateway.time;

/**
 * The runtime's one source of time: wall-clock milliseconds for what is stored or compared with dates (cache
 * entry ages, budget periods, rate-limit windows, lease ends) and a monotonic nanosecond counter for durations
 * (breaker {@code open_for}, cooldowns, deadlines). {@link dev.sluice.gateway.Gateway} takes one, {@link #SYSTEM}
 * in production; a test passes a clock it advances instead of sleeping, as with Caffeine's {@code Ticker}.
 *
 * <p>Timers (Vert.x {@code setTimer}) may still wake code up in real time; what the code then decides reads this
 * clock.
 */
public interface Clock {
  /** The system clocks: {@link System#currentTimeMillis()} and {@link System#nanoTime()}. */
  Clock SYSTEM = new Clock() {
    @Override
    public long millis() {
      return System.currentTimeMillis();
    }

    @Override
    public long nanos() {
      return System.nanoTime();
    }

    @Override
    public String toString() {
      return "Clock.SYSTEM";
    }
  };

  /** Wall-clock time, milliseconds since the Unix epoch. */
  long millis();

  /** Monotonic time in nanoseconds, from an arbitrary origin: compare two readings, never a reading and a date. */
  long nanos();
}
