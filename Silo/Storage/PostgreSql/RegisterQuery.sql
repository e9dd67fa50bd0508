INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES (@QueryKey, @QueryText)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
