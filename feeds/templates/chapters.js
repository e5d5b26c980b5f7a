// A chapter time seeks its episode's player (and plays it) instead of opening the audio on its own.
document.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-seek]");
  const player = link && link.closest("article").querySelector("audio");
  if (!player) return;
  event.preventDefault();
  player.currentTime = Number(link.dataset.seek);
  player.play().catch(() => {});  // a browser may refuse to play unasked; the position is set anyway
});
