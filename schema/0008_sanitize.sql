-- 0008_sanitize.sql: text VK sent before vkpulse cleaned it on arrival (issue 16).
-- Names stored by earlier versions may hold ESC sequences, CR or LF that clear or
-- retitle a terminal, or forge a line, when `status`, a report or an alert prints them.
-- Every C0 control character and DEL becomes '?', as collector/vkapi.c now does with
-- every string of an answer (text_sanitize); the C1 range is left to the next
-- collection, which rewrites every name. Eight characters per statement: SQLite's
-- parser refuses deeper nesting of replace().

UPDATE community SET name = replace(replace(replace(replace(replace(replace(replace(replace(name, char(1), '?'), char(2), '?'), char(3), '?'), char(4), '?'), char(5), '?'), char(6), '?'), char(7), '?'), char(8), '?')
 WHERE name GLOB '*['||char(1)||'-'||char(8)||']*';
UPDATE community SET name = replace(replace(replace(replace(replace(replace(replace(replace(name, char(9), '?'), char(10), '?'), char(11), '?'), char(12), '?'), char(13), '?'), char(14), '?'), char(15), '?'), char(16), '?')
 WHERE name GLOB '*['||char(9)||'-'||char(16)||']*';
UPDATE community SET name = replace(replace(replace(replace(replace(replace(replace(replace(name, char(17), '?'), char(18), '?'), char(19), '?'), char(20), '?'), char(21), '?'), char(22), '?'), char(23), '?'), char(24), '?')
 WHERE name GLOB '*['||char(17)||'-'||char(24)||']*';
UPDATE community SET name = replace(replace(replace(replace(replace(replace(replace(replace(name, char(25), '?'), char(26), '?'), char(27), '?'), char(28), '?'), char(29), '?'), char(30), '?'), char(31), '?'), char(127), '?')
 WHERE instr(name, char(127));
UPDATE community SET screen_name = replace(replace(replace(replace(replace(replace(replace(replace(screen_name, char(1), '?'), char(2), '?'), char(3), '?'), char(4), '?'), char(5), '?'), char(6), '?'), char(7), '?'), char(8), '?')
 WHERE screen_name GLOB '*['||char(1)||'-'||char(8)||']*';
UPDATE community SET screen_name = replace(replace(replace(replace(replace(replace(replace(replace(screen_name, char(9), '?'), char(10), '?'), char(11), '?'), char(12), '?'), char(13), '?'), char(14), '?'), char(15), '?'), char(16), '?')
 WHERE screen_name GLOB '*['||char(9)||'-'||char(16)||']*';
UPDATE community SET screen_name = replace(replace(replace(replace(replace(replace(replace(replace(screen_name, char(17), '?'), char(18), '?'), char(19), '?'), char(20), '?'), char(21), '?'), char(22), '?'), char(23), '?'), char(24), '?')
 WHERE screen_name GLOB '*['||char(17)||'-'||char(24)||']*';
UPDATE community SET screen_name = replace(replace(replace(replace(replace(replace(replace(replace(screen_name, char(25), '?'), char(26), '?'), char(27), '?'), char(28), '?'), char(29), '?'), char(30), '?'), char(31), '?'), char(127), '?')
 WHERE instr(screen_name, char(127));
UPDATE user SET city_title = replace(replace(replace(replace(replace(replace(replace(replace(city_title, char(1), '?'), char(2), '?'), char(3), '?'), char(4), '?'), char(5), '?'), char(6), '?'), char(7), '?'), char(8), '?')
 WHERE city_title GLOB '*['||char(1)||'-'||char(8)||']*';
UPDATE user SET city_title = replace(replace(replace(replace(replace(replace(replace(replace(city_title, char(9), '?'), char(10), '?'), char(11), '?'), char(12), '?'), char(13), '?'), char(14), '?'), char(15), '?'), char(16), '?')
 WHERE city_title GLOB '*['||char(9)||'-'||char(16)||']*';
UPDATE user SET city_title = replace(replace(replace(replace(replace(replace(replace(replace(city_title, char(17), '?'), char(18), '?'), char(19), '?'), char(20), '?'), char(21), '?'), char(22), '?'), char(23), '?'), char(24), '?')
 WHERE city_title GLOB '*['||char(17)||'-'||char(24)||']*';
UPDATE user SET city_title = replace(replace(replace(replace(replace(replace(replace(replace(city_title, char(25), '?'), char(26), '?'), char(27), '?'), char(28), '?'), char(29), '?'), char(30), '?'), char(31), '?'), char(127), '?')
 WHERE instr(city_title, char(127));
UPDATE user SET first_name = replace(replace(replace(replace(replace(replace(replace(replace(first_name, char(1), '?'), char(2), '?'), char(3), '?'), char(4), '?'), char(5), '?'), char(6), '?'), char(7), '?'), char(8), '?')
 WHERE first_name GLOB '*['||char(1)||'-'||char(8)||']*';
UPDATE user SET first_name = replace(replace(replace(replace(replace(replace(replace(replace(first_name, char(9), '?'), char(10), '?'), char(11), '?'), char(12), '?'), char(13), '?'), char(14), '?'), char(15), '?'), char(16), '?')
 WHERE first_name GLOB '*['||char(9)||'-'||char(16)||']*';
UPDATE user SET first_name = replace(replace(replace(replace(replace(replace(replace(replace(first_name, char(17), '?'), char(18), '?'), char(19), '?'), char(20), '?'), char(21), '?'), char(22), '?'), char(23), '?'), char(24), '?')
 WHERE first_name GLOB '*['||char(17)||'-'||char(24)||']*';
UPDATE user SET first_name = replace(replace(replace(replace(replace(replace(replace(replace(first_name, char(25), '?'), char(26), '?'), char(27), '?'), char(28), '?'), char(29), '?'), char(30), '?'), char(31), '?'), char(127), '?')
 WHERE instr(first_name, char(127));
UPDATE user SET last_name = replace(replace(replace(replace(replace(replace(replace(replace(last_name, char(1), '?'), char(2), '?'), char(3), '?'), char(4), '?'), char(5), '?'), char(6), '?'), char(7), '?'), char(8), '?')
 WHERE last_name GLOB '*['||char(1)||'-'||char(8)||']*';
UPDATE user SET last_name = replace(replace(replace(replace(replace(replace(replace(replace(last_name, char(9), '?'), char(10), '?'), char(11), '?'), char(12), '?'), char(13), '?'), char(14), '?'), char(15), '?'), char(16), '?')
 WHERE last_name GLOB '*['||char(9)||'-'||char(16)||']*';
UPDATE user SET last_name = replace(replace(replace(replace(replace(replace(replace(replace(last_name, char(17), '?'), char(18), '?'), char(19), '?'), char(20), '?'), char(21), '?'), char(22), '?'), char(23), '?'), char(24), '?')
 WHERE last_name GLOB '*['||char(17)||'-'||char(24)||']*';
UPDATE user SET last_name = replace(replace(replace(replace(replace(replace(replace(replace(last_name, char(25), '?'), char(26), '?'), char(27), '?'), char(28), '?'), char(29), '?'), char(30), '?'), char(31), '?'), char(127), '?')
 WHERE instr(last_name, char(127));
