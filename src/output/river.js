/* feedmerge river: each time in the reader's own time zone and language. */
(function () {
	var opts = { dateStyle: 'medium', timeStyle: 'short' };
	var times = document.querySelectorAll('time[datetime]');
	for (var i = 0; i < times.length; i++) {
		var t = times[i], d = new Date(t.getAttribute('datetime'));
		if (isNaN(d.getTime()))
			continue;
		t.title = t.textContent;
		t.textContent = d.toLocaleString(undefined, opts);
	}
})();
