import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AccountPostureDto } from '#api-contracts';
import { InvalidArgumentError, NotFoundError } from '#domain';
import { AccountabilityRepository, composeAccountPosture } from '#projections';
import { RequiresScope, SelfAudit } from './access.guard.js';
import { postureResponse } from './accountability-responses.js';
import { ApiProblem } from './api-docs.decorators.js';
import { pathParameter } from './query-parameters.js';

const AWS_ACCOUNT_ID = /^[0-9]{12}$/;

@ApiTags('accounts')
@Controller('v1/accounts')
export class AccountsController {
  constructor(private readonly accountability: AccountabilityRepository) {}

  @Get(':account/posture')
  @RequiresScope('events:read')
  @SelfAudit({ operation: 'GetAccountPosture', target: { param: 'account', type: 'aws_account' } })
  @ApiOperation({
    summary: "An AWS account's posture: password policy and its gaps, root access keys, users without MFA, direct privilege grants.",
    description:
      'Derived from the ledger: the password policy of the latest UpdateAccountPasswordPolicy / DeleteAccountPasswordPolicy ' +
      '(`unknown` when none was recorded), measured against DESIGN 7 (14 characters, upper, lower, digit, symbol, reuse 24, ' +
      'rotation 90 days); root keys created or used and not deleted; IAM users seen created or active, not deleted, with no MFA ' +
      'evidence; policies attached to users and still in force. Key ages are computed at request time.',
  })
  @ApiParam({ name: 'account', description: 'AWS account id: twelve digits.', example: '111122223333', schema: { type: 'string', pattern: '^[0-9]{12}$' } })
  @ApiOkResponse({ type: AccountPostureDto })
  @ApiProblem(400, 'The account id is not twelve digits (named in `field`).')
  @ApiProblem(404, 'The ledger has no event from this account.')
  async posture(@Param('account') accountParameter: string) {
    const account = pathParameter('account', accountParameter, 256);
    // A typo (a name, an ARN, eleven digits) is the caller's mistake, not an account the ledger has not seen.
    if (!AWS_ACCOUNT_ID.test(account)) throw new InvalidArgumentError('account', 'account must be an AWS account id: twelve digits');
    const rows = await this.accountability.postureRows(account);
    if (rows === null) throw new NotFoundError('account', account);
    return postureResponse(composeAccountPosture(rows, new Date()));
  }
}
