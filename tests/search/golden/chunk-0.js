weeklySearch.issue({"n":4,"page":"004.html","date":"2024-01-27","title":"Profilers","items":[
["Articles","Sampling versus tracing","https://blog.example/sampling"],
["Projects","py-spy","https://github.com/benfred/py-spy"],
["Projects","pyinstrument 5","https://github.com/joerick/pyinstrument#readme"]]});
weeklySearch.issue({"n":2,"page":"002.html","date":"2024-01-13","title":"Faster & smaller","items":[
["Articles","Shrinking wheels","https://Blog.Example:443/wheels/?utm_source=weekly&page=2#top"],
["Articles","A  parser","https://parsers.example/tiny"],
["Projects","uv","https://github.com/astral-sh/uv"],
["Podcasts","Talk Python #450","https://talkpython.example/450"]]});
weeklySearch.issue({"n":1,"page":"001.html","date":"2024-01-06","title":"","items":[
["Articles","Profiling asyncio programs","https://blog.example/profile-asyncio"],
["Projects","pyinstrument","https://github.com/joerick/pyinstrument"]]});
