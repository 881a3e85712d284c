import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation';
import * as m0002 from './0002_leagues_teams';
import * as m0003 from './0003_scheduling';
import * as m0004 from './0004_availability_lineups';
import * as m0005 from './0005_date_proposals';
import * as m0006 from './0006_results';
import * as m0007 from './0007_league_time_zone';
import * as m0008 from './0008_read_speed';
import * as m0009 from './0009_session_read';
import * as m0010 from './0010_organizer_invites';
import * as m0011 from './0011_least_privilege';
import * as m0012 from './0012_scale_visibility';
import * as m0013 from './0013_board_walk';
import * as m0014 from './0014_page_reads';
import * as m0015 from './0015_write_speed';
import * as m0016 from './0016_session_notices';
import * as m0017 from './0017_generic_page_plans';
import * as m0018 from './0018_write_checks';
import * as m0019 from './0019_viewer_keys';
import * as m0020 from './0020_backup_runs';

/**
 * Every migration, in order. A static list (rather than a folder scan) works the same from
 * source, from a bundle and in tests; names sort in the order they must run.
 */
export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_leagues_teams': m0002,
  '0003_scheduling': m0003,
  '0004_availability_lineups': m0004,
  '0005_date_proposals': m0005,
  '0006_results': m0006,
  '0007_league_time_zone': m0007,
  '0008_read_speed': m0008,
  '0009_session_read': m0009,
  '0010_organizer_invites': m0010,
  '0011_least_privilege': m0011,
  '0012_scale_visibility': m0012,
  '0013_board_walk': m0013,
  '0014_page_reads': m0014,
  '0015_write_speed': m0015,
  '0016_session_notices': m0016,
  '0017_generic_page_plans': m0017,
  '0018_write_checks': m0018,
  '0019_viewer_keys': m0019,
  '0020_backup_runs': m0020,
};
