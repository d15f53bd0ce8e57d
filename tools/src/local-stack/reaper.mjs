// Watchdog for the local stack: started detached by the process that owns the
// services, it kills them if that process dies without stopping them (a crash, a
// SIGKILL, an abort in native code), so no server outlives its owner.
// Usage: node reaper.mjs <owner pid> <pid to kill>...
const [owner, ...pids] = process.argv.slice(2).map(Number);

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const timer = setInterval(() => {
  if (alive(owner)) return;
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  clearInterval(timer);
}, 500);
